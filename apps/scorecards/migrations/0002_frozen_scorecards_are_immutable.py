"""PostgreSQL refuses to change a frozen scorecard or the candidates of one (services refuse first;
this catches everything else: the shell, the admin, a buggy migration). SQLite (the one-command local
run) relies on the services alone."""

from __future__ import annotations

from typing import Any

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION scorecards_refuse_frozen_scorecard() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'frozen' THEN
        RAISE EXCEPTION 'scorecard % is frozen and cannot be changed', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER scorecards_scorecard_frozen
    BEFORE UPDATE ON scorecards_scorecard
    FOR EACH ROW EXECUTE FUNCTION scorecards_refuse_frozen_scorecard();

CREATE OR REPLACE FUNCTION scorecards_refuse_frozen_candidate() RETURNS trigger AS $$
DECLARE
    card_id bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        card_id := OLD.scorecard_id;
    ELSE
        card_id := NEW.scorecard_id;
    END IF;
    IF EXISTS (SELECT 1 FROM scorecards_scorecard WHERE id = card_id AND status = 'frozen') THEN
        RAISE EXCEPTION 'scorecard % is frozen: its candidates cannot be changed', card_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER scorecards_candidate_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON scorecards_scorecardcandidate
    FOR EACH ROW EXECUTE FUNCTION scorecards_refuse_frozen_candidate();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS scorecards_candidate_frozen ON scorecards_scorecardcandidate;
DROP FUNCTION IF EXISTS scorecards_refuse_frozen_candidate();
DROP TRIGGER IF EXISTS scorecards_scorecard_frozen ON scorecards_scorecard;
DROP FUNCTION IF EXISTS scorecards_refuse_frozen_scorecard();
"""


def forward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("scorecards", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]

"""The invitation e-mail goes through the real chain: commit → Redis → Celery worker → SMTP."""

from __future__ import annotations

from typing import Any

import pytest

from apps.core.tenancy import org_scope
from apps.organizations.services import invitation_create
from tests.support.celery_worker import celery_broker
from tests.support.smtp import SmtpServer

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_invitation_email_is_sent_by_a_worker_after_commit(org_a: Any, members_a: Any) -> None:
    smtp_env = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "127.0.0.1"}
    with SmtpServer() as smtp, celery_broker(env={**smtp_env, "EMAIL_PORT": str(smtp.port)}) as broker:
        broker.new_worker()
        with org_scope(org_a):
            inv = invitation_create(
                organization=org_a, actor=members_a["admin"], email="far@away.test", roles=["auditor"]
            )
        [message] = smtp.sink.wait(1)
    assert message["To"] == "far@away.test"
    assert org_a.name in message["Subject"]
    body = message.get_payload(decode=True).decode()
    assert f"/invitations/{inv.token}/" in body

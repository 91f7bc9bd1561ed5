"""Data-inventory API beyond the generic cases: filters, readiness, import/export, budgets."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.datasources.importing import MAX_IMPORT_BYTES
from apps.datasources.models import DataSource
from tests.datasources.factories import DataAssessmentFactory, DataSourceFactory, TagFactory
from tests.generic import audit_count
from tests.usecases.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


def url(org: Any, name: str) -> str:
    return reverse(f"datasources-api:datasource-{name}", kwargs={"org_slug": org.slug})


def named(content: bytes, name: str) -> io.BytesIO:
    f = io.BytesIO(content)
    f.name = name
    return f


@pytest.fixture
def inventory(org_a: Any, members_a: Any) -> dict[str, Any]:
    with org_scope(org_a):
        support = TagFactory(organization=org_a, name="support")
        tickets = DataSourceFactory(
            organization=org_a,
            name="Support tickets",
            classification="confidential",
            contains_personal_data=True,
            personal_data_categories=["contact"],
            owner=members_a["contributor"],
        )
        tickets.tags.add(support)
        market = DataSourceFactory(
            organization=org_a,
            name="Market prices",
            origin="external",
            classification="public",
            licence="Commercial licence",
            system_or_provider="Refinitiv",
        )
        wiki = DataSourceFactory(
            organization=org_a, name="Wiki", classification="internal", description="Policies and procedures"
        )
    return {"tickets": tickets, "market": market, "wiki": wiki}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?origin=external", {"market"}),
        ("?classification=confidential&classification=public", {"tickets", "market"}),
        ("?pii=true", {"tickets"}),
        ("?pii=false", {"market", "wiki"}),
        ("?tag=SUPPORT", {"tickets"}),
        ("?q=procedures", {"wiki"}),
        ("?q=refinitiv", {"market"}),
    ],
)
def test_filters(
    org_a: Any, members_a: Any, inventory: Any, api_client_for: Callable[[Any], Any], query: str, expected: set[str]
) -> None:
    r = api_client_for(members_a["viewer"]).get(url(org_a, "list") + query)
    assert r.status_code == 200
    assert {row["id"] for row in r.json()["results"]} == {inventory[k].pk for k in expected}


def test_owner_filter_and_bad_filter(
    org_a: Any, members_a: Any, inventory: Any, api_client_for: Callable[[Any], Any]
) -> None:
    client = api_client_for(members_a["viewer"])
    rows = client.get(url(org_a, "list") + f"?owner={members_a['contributor'].pk}").json()["results"]
    assert [r["name"] for r in rows] == ["Support tickets"]
    assert client.get(url(org_a, "list") + "?origin=space").status_code == 400


def test_representation(org_a: Any, members_a: Any, inventory: Any, api_client_for: Callable[[Any], Any]) -> None:
    body = (
        api_client_for(members_a["viewer"])
        .get(
            reverse("datasources-api:datasource-detail", kwargs={"org_slug": org_a.slug, "pk": inventory["tickets"].pk})
        )
        .json()
    )
    assert body["tags"] == ["support"]
    assert body["personal_data_categories"] == ["contact"]
    assert body["owner"] == members_a["contributor"].pk


def test_create_validation_400(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    client = api_client_for(members_a["contributor"])
    body = {"name": "Ext", "origin": "external", "classification": "public", "contains_personal_data": False}
    r = client.post(url(org_a, "list"), body, format="json")
    assert r.status_code == 400
    assert "licence" in r.json()["error"]["fields"]
    r = client.post(url(org_a, "list"), {**body, "licence": "CC0", "formats": ["papyrus"]}, format="json")
    assert r.status_code == 400 and "formats" in r.json()["error"]["fields"]
    r = client.post(url(org_a, "list"), {**body, "licence": "CC0", "tags": ["t"] * 21}, format="json")
    assert r.status_code == 400 and "tags" in r.json()["error"]["fields"]


def test_delete_of_an_assessed_source_is_a_400(
    org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]
) -> None:
    with org_scope(org_a):
        assessment = DataAssessmentFactory(organization=org_a)
    r = api_client_for(members_a["contributor"]).delete(
        reverse("datasources-api:datasource-detail", kwargs={"org_slug": org_a.slug, "pk": assessment.data_source_id})
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "invalid"
    with scopes_disabled():
        assert DataSource.objects.filter(pk=assessment.data_source_id).exists()


def test_list_query_count_does_not_grow_with_tags_and_assessments(
    org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any], django_assert_max_num_queries: Any
) -> None:
    def add(n: int) -> None:
        with org_scope(org_a):
            for _ in range(n):
                source = DataSourceFactory(organization=org_a, owner=members_a["viewer"])
                source.tags.add(TagFactory(organization=org_a), TagFactory(organization=org_a))
                DataAssessmentFactory(organization=org_a, data_source=source)

    client = api_client_for(members_a["viewer"])
    add(1)
    with django_assert_max_num_queries(5):
        assert client.get(url(org_a, "list")).status_code == 200
    add(10)
    with django_assert_max_num_queries(5):
        assert len(client.get(url(org_a, "list")).json()["results"]) == 11


# --- assessments ----------------------------------------------------------------------------------------


def assessment_url(org: Any, pk: int | None = None) -> str:
    if pk is None:
        return reverse("datasources-api:assessment-list", kwargs={"org_slug": org.slug})
    return reverse("datasources-api:assessment-detail", kwargs={"org_slug": org.slug, "pk": pk})


def test_assessment_readiness_in_the_response(
    org_a: Any, members_a: Any, inventory: Any, api_client_for: Callable[[Any], Any]
) -> None:
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
    client = api_client_for(members_a["contributor"])
    r = client.post(
        assessment_url(org_a),
        {
            "use_case": use_case.pk,
            "data_source": inventory["market"].pk,
            "relevance": "yes",
            "accessible_today": "yes",
            "access_status": "granted",
            "terms_permit_use": "no",
            "search_index": "vector",
            "meets_quality_standard": "yes",
            "contains_confidential": "no",
            "anonymisation_required": "no",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    readiness = r.json()["readiness"]
    assert readiness["verdict"] == "blocked"
    assert [reason["code"] for reason in readiness["reasons"]] == ["terms_forbid_use", "index_needed"]
    r = client.patch(assessment_url(org_a, r.json()["id"]), {"terms_permit_use": "yes"}, format="json")
    assert r.status_code == 200
    assert r.json()["readiness"]["verdict"] == "needs_work"
    r = client.post(
        assessment_url(org_a), {"use_case": use_case.pk, "data_source": inventory["market"].pk}, format="json"
    )
    assert r.status_code == 400 and "data_source" in r.json()["error"]["fields"]


def test_assessment_pair_cannot_change(
    org_a: Any, members_a: Any, inventory: Any, api_client_for: Callable[[Any], Any]
) -> None:
    with org_scope(org_a):
        assessment = DataAssessmentFactory(organization=org_a, data_source=inventory["wiki"])
    r = api_client_for(members_a["contributor"]).patch(
        assessment_url(org_a, assessment.pk), {"data_source": inventory["market"].pk}, format="json"
    )
    assert r.status_code == 400 and "data_source" in r.json()["error"]["fields"]


def test_assessment_list_query_count_is_constant(
    org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any], django_assert_max_num_queries: Any
) -> None:
    client = api_client_for(members_a["viewer"])
    with org_scope(org_a):
        DataAssessmentFactory(organization=org_a, assessed_by=members_a["contributor"])
    with django_assert_max_num_queries(4):
        assert client.get(assessment_url(org_a)).status_code == 200
    with org_scope(org_a):
        for _ in range(10):
            DataAssessmentFactory(organization=org_a, assessed_by=members_a["contributor"])
    with django_assert_max_num_queries(4):
        assert len(client.get(assessment_url(org_a)).json()["results"]) == 11


# --- import / export ------------------------------------------------------------------------------------

GOOD = b"name,origin,classification,contains_personal_data\nCRM,internal,confidential,no\nDocs,internal,public,no\n"


def test_import_good_file(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    r = api_client_for(members_a["contributor"]).post(
        url(org_a, "import"), {"file": named(GOOD, "inv.csv")}, format="multipart"
    )
    assert r.status_code == 201, r.content
    assert r.json()["created"] == 2
    with org_scope(org_a):
        assert sorted(DataSource.objects.values_list("name", flat=True)) == ["CRM", "Docs"]


def test_import_one_bad_row_imports_nothing(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    before = audit_count(org_a)
    bad = GOOD + b"Broken,sideways,public,perhaps\n"
    r = api_client_for(members_a["contributor"]).post(
        url(org_a, "import"), {"file": named(bad, "inv.csv")}, format="multipart"
    )
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "import_rejected"
    assert [(row["row"], row["column"]) for row in error["rows"]] == [(4, "origin"), (4, "contains_personal_data")]
    with scopes_disabled():
        assert not DataSource.objects.exists()
    assert audit_count(org_a) == before


@pytest.mark.parametrize(
    ("content", "name", "needle"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "inventory.xlsx", "not an Excel workbook"),
        (b"PK\x03\x04garbage", "inventory.xlsx", "not an Excel workbook"),
        (GOOD, "inventory.xlsx", "not an Excel workbook"),
        (GOOD, "inventory.pdf", ".csv or .xlsx"),
        (b"\x00\x01\x02", "inventory.csv", "not text"),
        (b"", "inventory.csv", "empty"),
    ],
)
def test_import_bad_files_are_clear_400s(
    org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any], content: bytes, name: str, needle: str
) -> None:
    r = api_client_for(members_a["contributor"]).post(
        url(org_a, "import"), {"file": named(content, name)}, format="multipart"
    )
    assert r.status_code == 400, r.content
    error = r.json()["error"]
    assert needle in error["fields"]["file"][0]["message"]
    with scopes_disabled():
        assert not DataSource.objects.exists()


def test_import_oversized_file(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    big = GOOD + b"#" * MAX_IMPORT_BYTES
    r = api_client_for(members_a["contributor"]).post(
        url(org_a, "import"), {"file": named(big, "inv.csv")}, format="multipart"
    )
    assert r.status_code == 400
    assert "too large" in r.json()["error"]["fields"]["file"][0]["message"]


def test_import_without_file(org_a: Any, members_a: Any, api_client_for: Callable[[Any], Any]) -> None:
    r = api_client_for(members_a["contributor"]).post(url(org_a, "import"), {}, format="multipart")
    assert r.status_code == 400
    assert "file" in r.json()["error"]["fields"]


def test_export_csv_is_filtered_and_escapes_formulas(
    org_a: Any, members_a: Any, inventory: Any, api_client_for: Callable[[Any], Any]
) -> None:
    with org_scope(org_a):
        DataSourceFactory(organization=org_a, name="=cmd|'/c calc'!A1", classification="confidential")
    r = api_client_for(members_a["auditor"]).get(url(org_a, "export") + "?classification=confidential")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert sorted(row["name"] for row in rows) == ["'=cmd|'/c calc'!A1", "Support tickets"]
    tickets = next(row for row in rows if row["name"] == "Support tickets")
    assert tickets["owner_email"] == members_a["contributor"].email
    assert tickets["tags"] == "support"
    assert tickets["contains_personal_data"] == "yes"


def test_export_xlsx_and_bad_format(
    org_a: Any, members_a: Any, inventory: Any, api_client_for: Callable[[Any], Any]
) -> None:
    client = api_client_for(members_a["viewer"])
    r = client.get(url(org_a, "export") + "?file_format=xlsx")
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "Market prices",
        "Support tickets",
        "Wiki",
    ]
    assert client.get(url(org_a, "export") + "?file_format=pdf").status_code == 400


def test_export_then_import_into_another_organization(
    org_a: Any, org_b: Any, members_a: Any, members_b: Any, inventory: Any, api_client_for: Callable[[Any], Any]
) -> None:
    exported = api_client_for(members_a["viewer"]).get(url(org_a, "export") + "?file_format=xlsx").content
    # owners are members of org A only: drop them by re-importing into org B must report them
    r = api_client_for(members_b["contributor"]).post(
        url(org_b, "import"), {"file": named(exported, "export.xlsx")}, format="multipart"
    )
    assert r.status_code == 400
    assert {row["column"] for row in r.json()["error"]["rows"]} == {"owner_email"}
    with org_scope(org_a):
        DataSource.objects.update(owner=None)
    exported = api_client_for(members_a["viewer"]).get(url(org_a, "export") + "?file_format=xlsx").content
    r = api_client_for(members_b["contributor"]).post(
        url(org_b, "import"), {"file": named(exported, "export.xlsx")}, format="multipart"
    )
    assert r.status_code == 201, r.content
    with org_scope(org_b):
        tickets = DataSource.objects.get(name="Support tickets")
        assert tickets.personal_data_categories == ["contact"]
        assert [t.name for t in tickets.tags.all()] == ["support"]

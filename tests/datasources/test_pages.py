"""Inventory and assessment pages: the full journey from idea to assessment in the UI, import and
export through the browser, what viewers and auditors see, budgets."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from apps.core.tenancy import org_scope
from apps.datasources.importing import MAX_IMPORT_BYTES
from apps.datasources.models import DataAssessment, DataSource
from apps.usecases.models import UseCase
from tests.datasources.factories import DataAssessmentFactory, DataSourceFactory, TagFactory
from tests.usecases.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


def ds(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(f"datasources:{name}", kwargs={"org_slug": org.slug, **kwargs})


def uc(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(f"usecases:{name}", kwargs={"org_slug": org.slug, **kwargs})


SOURCE_FORM = {
    "name": "Support tickets",
    "description": "Zendesk tickets since 2018",
    "origin": "internal",
    "system_or_provider": "Zendesk",
    "formats": ["email", "chat"],
    "tags": "support, tickets",
    "volume": "1 200 000",
    "volume_unit": "records",
    "update_frequency": "real_time",
    "storage_cost_monthly": "",
    "storage_cost_currency": "",
    "classification": "confidential",
    "contains_personal_data": "on",
    "personal_data_categories": ["contact", "communications"],
    "access_restrictions": "Support staff only",
    "access_granted_by": "Head of customer service",
    "licence": "",
}

ASSESSMENT_FORM = {
    "relevance": "yes",
    "relevance_rationale": "Every past answer is in there.",
    "accessible_today": "yes",
    "access_status": "requested",
    "terms_permit_use": "not_applicable",
    "preprocessing": ["anonymisation", "deduplication"],
    "preprocessing_notes": "",
    "search_index": "vector",
    "extra_cost_monthly": "300",
    "extra_cost_currency": "EUR",
    "availability_rationale": "",
    "meets_quality_standard": "partial",
    "contains_confidential": "yes",
    "anonymisation_required": "yes",
    "standardisation_rationale": "Names and phone numbers in free text.",
}


def journey(client: Any, org: Any) -> tuple[Any, Any]:
    r = client.post(
        uc("create", org),
        {
            "title": "Customer-support answer drafting",
            "business_problem": "Slow answers.",
            "status": "draft",
            "data_residency": "eu",
            "monthly_budget": "1000",
            "budget_currency": "EUR",
        },
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    r = client.post(ds("create", org), SOURCE_FORM)
    assert r.status_code == 302, r.content.decode()[-3000:]
    with org_scope(org):
        use_case = UseCase.objects.get()
        source = DataSource.objects.get()
    form = client.get(ds("assessment_create", org, pk=use_case.pk) + f"?data_source={source.pk}").content.decode()
    # three clearly titled fieldsets
    for key in ("relevant", "available", "standardised"):
        assert f'id="q-{key}"' in form
    r = client.post(ds("assessment_create", org, pk=use_case.pk), {**ASSESSMENT_FORM, "data_source": source.pk})
    assert r.status_code == 302, r.content.decode()[-3000:]
    return use_case, source


def test_contributor_goes_from_idea_to_a_complete_assessment(
    org_a: Any, members_a: Any, client_for: Callable[[Any], Any]
) -> None:
    client = client_for(members_a["contributor"])
    use_case, source = journey(client, org_a)
    with org_scope(org_a):
        assessment = DataAssessment.objects.get()
        assert sorted(t.name for t in source.tags.all()) == ["support", "tickets"]
        assert str(source.volume) == "1200000.00"
    assert assessment.readiness.verdict == "needs_work"
    detail = client.get(ds("assessment_detail", org_a, pk=assessment.pk)).content.decode()
    assert "Needs work" in detail
    assert "Access has been requested but not granted yet." in detail
    assert "Preprocessing is needed: Deduplication, Anonymisation." in detail
    overview = client.get(uc("detail", org_a, pk=use_case.pk)).content.decode()
    assert "Support tickets" in overview and "Needs work" in overview and "Confidential" in overview

    # fix the answers: access granted, no index, quality ok, no preprocessing, no anonymisation
    r = client.post(
        ds("assessment_edit", org_a, pk=assessment.pk),
        {
            **ASSESSMENT_FORM,
            "access_status": "granted",
            "preprocessing": [],
            "search_index": "none",
            "meets_quality_standard": "yes",
            "anonymisation_required": "no",
        },
    )
    assert r.status_code == 302
    overview = client.get(uc("detail", org_a, pk=use_case.pk)).content.decode()
    assert "Ready" in overview


def test_the_journey_in_russian(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    client = client_for(members_a["contributor"])
    client.cookies["django_language"] = "ru"
    use_case, _source = journey(client, org_a)
    with org_scope(org_a):
        assessment = DataAssessment.objects.get()
    html = client.get(ds("assessment_detail", org_a, pk=assessment.pk)).content.decode()
    assert "Требует доработки" in html  # "Needs work"
    assert "Доступ запрошен, но ещё не предоставлен." in html
    form = client.get(ds("assessment_edit", org_a, pk=assessment.pk)).content.decode()
    assert "1. Релевантны?" in form and "2. Доступны?" in form and "3. Стандартизированы?" in form


def test_edit_form_keeps_the_tags(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    client = client_for(members_a["contributor"])
    client.post(ds("create", org_a), SOURCE_FORM)
    with org_scope(org_a):
        source = DataSource.objects.get()
    form = client.get(ds("edit", org_a, pk=source.pk)).content.decode()
    assert 'value="support, tickets"' in form
    assert 'value="Zendesk"' in form
    data = {**SOURCE_FORM, "description": "Changed"}
    data.pop("tags")
    data["tags"] = "support, tickets"
    assert client.post(ds("edit", org_a, pk=source.pk), data).status_code == 302
    with org_scope(org_a):
        assert sorted(t.name for t in DataSource.objects.get().tags.all()) == ["support", "tickets"]


def test_assessment_form_errors(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
        source = DataSourceFactory(organization=org_a)
    r = client_for(members_a["contributor"]).post(
        ds("assessment_create", org_a, pk=use_case.pk),
        {**ASSESSMENT_FORM, "data_source": source.pk, "extra_cost_currency": "", "preprocessing": ["other"]},
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Give the currency of the extra cost." in html
    assert "Describe the other preprocessing needed." in html
    with scopes_disabled():
        assert not DataAssessment.objects.exists()


def test_assessment_form_refuses_another_organizations_source(
    org_a: Any, org_b: Any, members_a: Any, client_for: Callable[[Any], Any]
) -> None:
    with org_scope(org_a):
        use_case = UseCaseFactory(organization=org_a)
    with org_scope(org_b):
        theirs = DataSourceFactory(organization=org_b)
    r = client_for(members_a["contributor"]).post(
        ds("assessment_create", org_a, pk=use_case.pk), {**ASSESSMENT_FORM, "data_source": theirs.pk}
    )
    assert r.status_code == 200
    with scopes_disabled():
        assert not DataAssessment.objects.exists()


def test_viewer_reads_and_sees_no_write_controls(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        assessment = DataAssessmentFactory(organization=org_a)
    client = client_for(members_a["viewer"])
    listing = client.get(ds("list", org_a)).content.decode()
    assert assessment.data_source.name in listing
    assert ds("create", org_a) not in listing and ds("import", org_a) not in listing
    assert ds("export", org_a, kind="csv") in listing
    detail = client.get(ds("detail", org_a, pk=assessment.data_source_id)).content.decode()
    assert ds("edit", org_a, pk=assessment.data_source_id) not in detail
    adetail = client.get(ds("assessment_detail", org_a, pk=assessment.pk)).content.decode()
    assert ds("assessment_edit", org_a, pk=assessment.pk) not in adetail
    assert 'id="history-heading"' not in adetail
    r = client.post(ds("assessment_edit", org_a, pk=assessment.pk), {**ASSESSMENT_FORM})
    assert r.status_code == 403


def test_auditor_sees_source_history_with_sensitivity_events(
    org_a: Any, members_a: Any, client_for: Callable[[Any], Any]
) -> None:
    contributor = client_for(members_a["contributor"])
    contributor.post(ds("create", org_a), SOURCE_FORM)
    with org_scope(org_a):
        source = DataSource.objects.get()
    contributor.post(ds("edit", org_a, pk=source.pk), {**SOURCE_FORM, "classification": "restricted"})
    html = client_for(members_a["auditor"]).get(ds("detail", org_a, pk=source.pk)).content.decode()
    assert 'id="history-heading"' in html
    assert "datasource.created" in html and "datasource.classification_changed" in html
    assert ds("edit", org_a, pk=source.pk) not in html


def test_delete_of_assessed_source_is_explained(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        assessment = DataAssessmentFactory(organization=org_a)
    client = client_for(members_a["contributor"])
    assert "Remove those assessments" in client.get(ds("delete", org_a, pk=assessment.data_source_id)).content.decode()
    r = client.post(ds("delete", org_a, pk=assessment.data_source_id), follow=True)
    assert "remove those assessments first" in r.content.decode()
    with scopes_disabled():
        assert DataSource.objects.filter(pk=assessment.data_source_id).exists()


# --- import / export in the browser ---------------------------------------------------------------

GOOD = b"name,origin,classification,contains_personal_data\nCRM,internal,confidential,no\nDocs,internal,public,no\n"


def post_file(client: Any, org: Any, content: bytes, name: str) -> Any:
    return client.post(ds("import", org), {"file": SimpleUploadedFile(name, content)})


def test_import_page_good_file(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    r = post_file(client_for(members_a["contributor"]), org_a, GOOD, "inventory.csv")
    assert r.status_code == 302
    with org_scope(org_a):
        assert DataSource.objects.count() == 2


def test_import_page_reports_the_bad_row_and_imports_nothing(
    org_a: Any, members_a: Any, client_for: Callable[[Any], Any]
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["name", "origin", "classification", "contains_personal_data"])
    sheet.append(["CRM", "internal", "confidential", "no"])
    sheet.append(["Docs", "internal", "top secret", "no"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    r = post_file(client_for(members_a["contributor"]), org_a, buffer.getvalue(), "inventory.xlsx")
    assert r.status_code == 400
    html = r.content.decode()
    assert "Nothing was imported." in html
    assert "<td>3</td>" in html and "<code>classification</code>" in html and "top secret" in html
    with scopes_disabled():
        assert not DataSource.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "needle"),
    [
        (b"\xde\xad\xbe\xef" * 100, "inventory.xlsx", "not an Excel workbook"),
        (GOOD, "inventory.txt", "Upload a .csv or .xlsx file."),
        (GOOD + b"#" * MAX_IMPORT_BYTES, "inventory.csv", "too large"),
        (b"name,colour\nA,blue\n", "inventory.csv", "Unknown column(s): colour"),
    ],
)
def test_import_page_bad_files(
    org_a: Any, members_a: Any, client_for: Callable[[Any], Any], content: bytes, name: str, needle: str
) -> None:
    r = post_file(client_for(members_a["contributor"]), org_a, content, name)
    assert r.status_code in (200, 400)
    assert needle in r.content.decode()
    with scopes_disabled():
        assert not DataSource.objects.exists()


def test_template_and_export_downloads(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        DataSourceFactory(organization=org_a, name="+danger", classification="public")
    client = client_for(members_a["viewer"])
    template = client.get(ds("import_template", org_a, kind="xlsx"))
    assert template.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(template.content)).worksheets[0]["A1"].value == "name"
    export = client.get(ds("export", org_a, kind="csv") + "?classification=public")
    assert export.status_code == 200
    assert "'+danger" in export.content.decode("utf-8-sig")
    assert client.get(ds("export", org_a, kind="pdf")).status_code == 404


def test_list_filters_on_the_page(org_a: Any, members_a: Any, client_for: Callable[[Any], Any]) -> None:
    with org_scope(org_a):
        tagged = DataSourceFactory(organization=org_a, name="Tagged source")
        tagged.tags.add(TagFactory(organization=org_a, name="legal"))
        DataSourceFactory(organization=org_a, name="Other source", origin="external", licence="CC0")
    client = client_for(members_a["viewer"])
    html = client.get(ds("list", org_a) + "?tag=legal").content.decode()
    assert "Tagged source" in html and "Other source" not in html
    html = client.get(ds("list", org_a) + "?origin=external").content.decode()
    assert "Other source" in html and "Tagged source" not in html
    html = client.get(ds("list", org_a) + "?origin=moon").content.decode()
    assert "Some filters were not valid" in html


def test_list_page_query_count_is_constant(
    org_a: Any, members_a: Any, client_for: Callable[[Any], Any], django_assert_max_num_queries: Any
) -> None:
    client = client_for(members_a["viewer"])

    def add(n: int) -> None:
        with org_scope(org_a):
            for _ in range(n):
                source = DataSourceFactory(organization=org_a, owner=members_a["contributor"])
                source.tags.add(TagFactory(organization=org_a))
                DataAssessmentFactory(organization=org_a, data_source=source)

    add(1)
    with django_assert_max_num_queries(14):
        assert client.get(ds("list", org_a)).status_code == 200
    add(12)
    with django_assert_max_num_queries(14):
        assert client.get(ds("list", org_a) + "?pii=false").status_code == 200

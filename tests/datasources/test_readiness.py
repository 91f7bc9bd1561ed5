"""Every readiness rule (apps/datasources/readiness.py), one test per rule and a few combinations.
Pure: no database."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation

from apps.datasources.choices import (
    AccessStatus,
    Answer,
    Classification,
    Origin,
    Preprocessing,
    QualityAnswer,
    Relevance,
    SearchIndex,
    TermsAnswer,
)
from apps.datasources.readiness import AssessmentFacts, Question, Readiness, Severity, Verdict, assess, rollup

READY = AssessmentFacts(
    origin=Origin.INTERNAL,
    classification=Classification.INTERNAL,
    contains_personal_data=False,
    relevance=Relevance.YES,
    accessible_today=Answer.YES,
    access_status=AccessStatus.GRANTED,
    terms_permit_use=TermsAnswer.NOT_APPLICABLE,
    preprocessing=(),
    search_index=SearchIndex.NONE,
    meets_quality_standard=QualityAnswer.YES,
    contains_confidential=Answer.NO,
    anonymisation_required=Answer.NO,
)


def only(result: Readiness) -> str:
    assert len(result.reasons) == 1, result.codes
    return result.reasons[0].code


def test_all_green_is_ready_without_reasons() -> None:
    result = assess(READY)
    assert result.verdict == Verdict.READY
    assert result.reasons == ()


def test_defaults_are_unanswered_and_need_work() -> None:
    result = assess(AssessmentFacts())
    assert result.verdict == Verdict.NEEDS_WORK
    assert {
        "relevance_unanswered",
        "access_not_requested",
        "accessibility_unanswered",
        "index_unanswered",
        "quality_unanswered",
        "confidential_unanswered",
        "anonymisation_unanswered",
    } == set(result.codes)


# --- 1. relevant -------------------------------------------------------------------------------


def test_not_relevant_blocks() -> None:
    result = assess(replace(READY, relevance=Relevance.NO))
    assert result.verdict == Verdict.BLOCKED
    assert only(result) == "not_relevant"
    assert result.reasons[0].severity == Severity.BLOCKER
    assert result.reasons[0].question == Question.RELEVANT


def test_partly_relevant_needs_work() -> None:
    result = assess(replace(READY, relevance=Relevance.PARTIAL))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "partly_relevant")


def test_relevance_unanswered_needs_work() -> None:
    result = assess(replace(READY, relevance=Relevance.UNKNOWN))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "relevance_unanswered")


# --- 2. available ------------------------------------------------------------------------------


def test_access_refused_blocks() -> None:
    result = assess(replace(READY, access_status=AccessStatus.REFUSED))
    assert (result.verdict, only(result)) == (Verdict.BLOCKED, "access_refused")
    assert result.reasons[0].question == Question.AVAILABLE


def test_access_requested_needs_work() -> None:
    result = assess(replace(READY, access_status=AccessStatus.REQUESTED))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "access_requested")


def test_access_not_requested_needs_work() -> None:
    result = assess(replace(READY, access_status=AccessStatus.NOT_REQUESTED))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "access_not_requested")


def test_access_not_required_is_fine() -> None:
    assert assess(replace(READY, access_status=AccessStatus.NOT_REQUIRED)).verdict == Verdict.READY


def test_external_terms_forbid_use_blocks() -> None:
    result = assess(replace(READY, origin=Origin.EXTERNAL, terms_permit_use=TermsAnswer.NO))
    assert (result.verdict, only(result)) == (Verdict.BLOCKED, "terms_forbid_use")


@pytest.mark.parametrize("answer", [TermsAnswer.UNKNOWN, TermsAnswer.NOT_APPLICABLE])
def test_external_terms_unchecked_needs_work(answer: str) -> None:
    result = assess(replace(READY, origin=Origin.EXTERNAL, terms_permit_use=answer))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "terms_unchecked")


def test_external_terms_permitted_is_ready() -> None:
    assert assess(replace(READY, origin=Origin.EXTERNAL, terms_permit_use=TermsAnswer.YES)).verdict == Verdict.READY


@pytest.mark.parametrize("answer", [TermsAnswer.NO, TermsAnswer.UNKNOWN])
def test_terms_are_ignored_for_internal_data(answer: str) -> None:
    assert assess(replace(READY, origin=Origin.INTERNAL, terms_permit_use=answer)).verdict == Verdict.READY


def test_not_accessible_needs_work() -> None:
    result = assess(replace(READY, accessible_today=Answer.NO))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "not_accessible")


def test_accessibility_unanswered_needs_work() -> None:
    result = assess(replace(READY, accessible_today=Answer.UNKNOWN))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "accessibility_unanswered")


def test_preprocessing_needed_lists_the_steps_in_the_active_language() -> None:
    result = assess(replace(READY, preprocessing=(Preprocessing.OCR, Preprocessing.CLEANING)))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "preprocessing_needed")
    message = result.reasons[0].message
    with translation.override("en"):
        assert str(message) == "Preprocessing is needed: Cleaning, OCR."


@pytest.mark.parametrize("index", [SearchIndex.FULL_TEXT, SearchIndex.VECTOR, SearchIndex.HYBRID])
def test_index_needed_needs_work(index: str) -> None:
    result = assess(replace(READY, search_index=index))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "index_needed")


def test_index_unanswered_needs_work() -> None:
    result = assess(replace(READY, search_index=SearchIndex.UNKNOWN))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "index_unanswered")


def test_cost_over_budget_needs_work() -> None:
    facts = replace(
        READY,
        extra_cost_monthly=Decimal("1500.00"),
        extra_cost_currency="EUR",
        budget_monthly=Decimal("1000.00"),
        budget_currency="EUR",
    )
    result = assess(facts)
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "cost_over_budget")
    with translation.override("en"):
        assert "1500.00 EUR" in str(result.reasons[0].message)


def test_cost_within_budget_is_ready() -> None:
    facts = replace(
        READY,
        extra_cost_monthly=Decimal("1000.00"),
        extra_cost_currency="EUR",
        budget_monthly=Decimal("1000.00"),
        budget_currency="EUR",
    )
    assert assess(facts).verdict == Verdict.READY


def test_cost_in_another_currency_is_a_note_only() -> None:
    facts = replace(
        READY,
        extra_cost_monthly=Decimal("99999"),
        extra_cost_currency="USD",
        budget_monthly=Decimal("10"),
        budget_currency="EUR",
    )
    result = assess(facts)
    assert (result.verdict, only(result)) == (Verdict.READY, "cost_currency_differs")
    assert result.reasons[0].severity == Severity.NOTE


def test_cost_without_budget_is_not_compared() -> None:
    assert assess(replace(READY, extra_cost_monthly=Decimal("5"), extra_cost_currency="EUR")).reasons == ()


# --- 3. standardised ---------------------------------------------------------------------------


def test_quality_below_standard_needs_work() -> None:
    result = assess(replace(READY, meets_quality_standard=QualityAnswer.NO))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "quality_below_standard")
    assert result.reasons[0].question == Question.STANDARDISED


def test_quality_partial_needs_work() -> None:
    result = assess(replace(READY, meets_quality_standard=QualityAnswer.PARTIAL))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "quality_partial")


def test_quality_unanswered_needs_work() -> None:
    result = assess(replace(READY, meets_quality_standard=QualityAnswer.UNKNOWN))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "quality_unanswered")


def test_confidential_unanswered_needs_work() -> None:
    result = assess(replace(READY, contains_confidential=Answer.UNKNOWN))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "confidential_unanswered")


def test_confidential_that_stays_inside_is_a_note() -> None:
    result = assess(replace(READY, contains_confidential=Answer.YES, classification=Classification.CONFIDENTIAL))
    assert (result.verdict, only(result)) == (Verdict.READY, "confidential_stays_inside")
    assert result.notes and not result.work and not result.blockers


@pytest.mark.parametrize("classification", [Classification.CONFIDENTIAL, Classification.RESTRICTED])
def test_classification_mismatch_needs_work(classification: str) -> None:
    result = assess(replace(READY, contains_confidential=Answer.NO, classification=classification))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "classification_mismatch")
    with translation.override("en"):
        assert str(Classification(classification).label) in str(result.reasons[0].message)


@pytest.mark.parametrize("classification", [Classification.PUBLIC, Classification.INTERNAL])
def test_no_mismatch_for_low_classifications(classification: str) -> None:
    assert assess(replace(READY, contains_confidential=Answer.NO, classification=classification)).reasons == ()


def test_anonymisation_required_but_not_planned_needs_work() -> None:
    result = assess(replace(READY, anonymisation_required=Answer.YES))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "anonymisation_not_planned")


def test_anonymisation_required_and_planned_counts_as_preprocessing() -> None:
    result = assess(replace(READY, anonymisation_required=Answer.YES, preprocessing=(Preprocessing.ANONYMISATION,)))
    assert only(result) == "preprocessing_needed"


def test_anonymisation_unanswered_needs_work() -> None:
    result = assess(replace(READY, anonymisation_required=Answer.UNKNOWN))
    assert (result.verdict, only(result)) == (Verdict.NEEDS_WORK, "anonymisation_unanswered")


def test_personal_data_without_anonymisation_is_a_note() -> None:
    result = assess(replace(READY, contains_personal_data=True, anonymisation_required=Answer.NO))
    assert (result.verdict, only(result)) == (Verdict.READY, "personal_data_not_anonymised")


# --- ordering, verdict precedence, translations -------------------------------------------------


def test_blockers_come_first_and_win_over_work() -> None:
    facts = replace(
        READY,
        relevance=Relevance.PARTIAL,
        access_status=AccessStatus.REFUSED,
        meets_quality_standard=QualityAnswer.NO,
        contains_confidential=Answer.YES,
    )
    result = assess(facts)
    assert result.verdict == Verdict.BLOCKED
    assert [r.severity for r in result.reasons] == [Severity.BLOCKER, Severity.WORK, Severity.WORK, Severity.NOTE]
    assert result.codes == ["access_refused", "partly_relevant", "quality_below_standard", "confidential_stays_inside"]


def test_reasons_are_translated() -> None:
    result = assess(replace(READY, relevance=Relevance.NO))
    with translation.override("ru"):
        russian = str(result.reasons[0].message)
        verdict = result.get_verdict_display()
    with translation.override("en"):
        english = str(result.reasons[0].message)
    assert english == "The data source does not hold what the use case needs."
    assert russian != english
    assert verdict != "Blocked"


def test_reason_as_dict_is_machine_readable() -> None:
    reason = assess(replace(READY, relevance=Relevance.NO)).reasons[0]
    with translation.override("en"):
        assert reason.as_dict() == {
            "code": "not_relevant",
            "severity": "blocker",
            "question": "relevant",
            "message": "The data source does not hold what the use case needs.",
        }


# --- roll-up -----------------------------------------------------------------------------------


def test_rollup_without_assessments_is_not_assessed() -> None:
    result = rollup([])
    assert result.verdict == Verdict.NOT_ASSESSED
    assert result.total == 0


def test_rollup_all_ready_is_ready() -> None:
    result = rollup([assess(READY), assess(READY)])
    assert result.verdict == Verdict.READY
    assert result.counts == {"ready": 2, "needs_work": 0, "blocked": 0}


def test_rollup_takes_the_worst_verdict() -> None:
    work = assess(replace(READY, relevance=Relevance.PARTIAL))
    blocked = assess(replace(READY, relevance=Relevance.NO))
    assert rollup([assess(READY), work]).verdict == Verdict.NEEDS_WORK
    result = rollup([assess(READY), work, blocked])
    assert result.verdict == Verdict.BLOCKED
    assert result.counts == {"ready": 1, "needs_work": 1, "blocked": 1}
    assert result.total == 3

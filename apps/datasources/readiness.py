"""Readiness of a data source for a use case — the verdict of the three-question data assessment
(design.md §1.1). Pure: plain dataclasses in, plain dataclasses out, no database.

Every rule below yields a *reason* with a stable ``code``, the question it belongs to and a
severity. The verdict of one assessment is the worst severity found:

* ``blocked``    — at least one **blocker**: the data cannot be used for this use case as things stand;
* ``needs_work`` — no blocker, at least one **work** item: usable once the work is done;
* ``ready``      — neither (``note`` reasons are information only and never change the verdict).

Rules (code — severity — condition):

1. Relevant?
   * ``not_relevant`` — blocker — relevance is *no*.
   * ``partly_relevant`` — work — relevance is *partly*.
   * ``relevance_unanswered`` — work — relevance is *not assessed yet*.
2. Available?
   * ``access_refused`` — blocker — access status is *refused*.
   * ``terms_forbid_use`` — blocker — external source whose licence/terms do *not* permit this use.
   * ``terms_unchecked`` — work — external source whose licence/terms are *not checked yet* (or
     marked *not applicable*, which only internal data may be).
   * ``not_accessible`` — work — the data is *not* accessible today.
   * ``accessibility_unanswered`` — work — accessibility today is *not known yet*.
   * ``access_requested`` — work — access is requested but not granted yet.
   * ``access_not_requested`` — work — access is needed and not requested yet.
   * ``preprocessing_needed`` — work — at least one preprocessing step is needed (listed).
   * ``index_needed`` — work — a full-text, vector or hybrid index must be built.
   * ``index_unanswered`` — work — the index need is *not known yet*.
   * ``cost_over_budget`` — work — the estimated extra monthly cost is higher than the use case's
     monthly budget (same currency only).
   * ``cost_currency_differs`` — note — cost and budget are in different currencies, so they were
     not compared.
3. Standardised?
   * ``quality_below_standard`` — work — the data does *not* meet the data-quality standard.
   * ``quality_partial`` — work — it meets the standard only *partly*.
   * ``quality_unanswered`` — work — quality is *not checked yet*.
   * ``confidential_unanswered`` — work — whether it holds confidential information is *not known*.
   * ``classification_mismatch`` — work — the assessment says *no* confidential information but the
     source is classified *confidential* or *restricted*.
   * ``confidential_stays_inside`` — note — it holds confidential information that must stay inside
     the company (model selection must respect this; the policy checks read the same answer).
   * ``anonymisation_unanswered`` — work — whether anonymisation is required is *not known yet*.
   * ``anonymisation_not_planned`` — work — anonymisation is required but *anonymisation* is not
     among the planned preprocessing steps.
   * ``personal_data_not_anonymised`` — note — the source holds personal data and anonymisation is
     not required: a legal basis for processing must exist.

Roll-up per use case (:func:`rollup`): ``not_assessed`` when the use case has no assessment, else
the worst verdict among its assessments (one blocked source blocks the use case until it is replaced
or unlinked), with the number of assessments per verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

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


class Verdict(models.TextChoices):
    READY = "ready", _("Ready")
    NEEDS_WORK = "needs_work", _("Needs work")
    BLOCKED = "blocked", _("Blocked")
    NOT_ASSESSED = "not_assessed", _("Not assessed")


class Severity(models.TextChoices):
    BLOCKER = "blocker", _("Blocker")
    WORK = "work", _("Work needed")
    NOTE = "note", _("Note")


class Question(models.TextChoices):
    RELEVANT = "relevant", _("Relevant?")
    AVAILABLE = "available", _("Available?")
    STANDARDISED = "standardised", _("Standardised?")


# plain-string keys: the choice members hash like their values, so lookups need no enum calls
_SEVERITY_ORDER = {"blocker": 0, "work": 1, "note": 2}
_QUESTION_ORDER = {"relevant": 0, "available": 1, "standardised": 2}
_VERDICT_ORDER = {"ready": 0, "needs_work": 1, "blocked": 2}
_PREPROCESSING_ORDER: tuple[str, ...] = tuple(Preprocessing.values)


@dataclass(frozen=True)
class AssessmentFacts:
    """Everything the rules look at: the assessment's answers, a few facts of the data source, and
    the use case's budget. Values are the choice values of :mod:`apps.datasources.choices`."""

    # data source
    origin: str = Origin.INTERNAL
    classification: str = Classification.INTERNAL
    contains_personal_data: bool = False
    # 1. relevant
    relevance: str = Relevance.UNKNOWN
    # 2. available
    accessible_today: str = Answer.UNKNOWN
    access_status: str = AccessStatus.NOT_REQUESTED
    terms_permit_use: str = TermsAnswer.UNKNOWN
    preprocessing: tuple[str, ...] = ()
    search_index: str = SearchIndex.UNKNOWN
    extra_cost_monthly: Decimal | None = None
    extra_cost_currency: str = ""
    # 3. standardised
    meets_quality_standard: str = QualityAnswer.UNKNOWN
    contains_confidential: str = Answer.UNKNOWN
    anonymisation_required: str = Answer.UNKNOWN
    # use case
    budget_monthly: Decimal | None = None
    budget_currency: str = ""


@dataclass(frozen=True)
class Reason:
    code: str
    severity: str
    question: str
    message: str | Promise

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "severity": self.severity, "question": self.question, "message": str(self.message)}


@dataclass(frozen=True)
class Readiness:
    verdict: str
    reasons: tuple[Reason, ...] = ()

    @property
    def blockers(self) -> list[Reason]:
        return [r for r in self.reasons if r.severity == Severity.BLOCKER]

    @property
    def work(self) -> list[Reason]:
        return [r for r in self.reasons if r.severity == Severity.WORK]

    @property
    def notes(self) -> list[Reason]:
        return [r for r in self.reasons if r.severity == Severity.NOTE]

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    def get_verdict_display(self) -> str:
        return str(Verdict(self.verdict).label)


@dataclass(frozen=True)
class RollUp:
    verdict: str
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def get_verdict_display(self) -> str:
        return str(Verdict(self.verdict).label)


def _labels(choices: type[models.TextChoices], values: Iterable[str]) -> str:
    """Translated labels of ``values`` in the choice order, joined (evaluated at render time)."""
    wanted = set(values)
    return ", ".join(str(label) for value, label in choices.choices if value in wanted)


class _LazyLabels:
    """Defers joining labels until the message is rendered, so it follows the active language."""

    def __init__(self, choices: type[models.TextChoices], values: Iterable[str]) -> None:
        self.choices, self.values = choices, tuple(values)

    def __str__(self) -> str:
        return _labels(self.choices, self.values)


def _relevant(f: AssessmentFacts) -> list[Reason]:
    q = Question.RELEVANT
    if f.relevance == Relevance.NO:
        return [
            Reason("not_relevant", Severity.BLOCKER, q, _("The data source does not hold what the use case needs."))
        ]
    if f.relevance == Relevance.PARTIAL:
        return [
            Reason(
                "partly_relevant",
                Severity.WORK,
                q,
                _("The data source covers the need only in part; the missing data must be found elsewhere."),
            )
        ]
    if f.relevance != Relevance.YES:
        return [Reason("relevance_unanswered", Severity.WORK, q, _("Relevance has not been assessed yet."))]
    return []


def _available(f: AssessmentFacts) -> list[Reason]:
    q = Question.AVAILABLE
    reasons: list[Reason] = []
    if f.access_status == AccessStatus.REFUSED:
        reasons.append(Reason("access_refused", Severity.BLOCKER, q, _("Access to the data has been refused.")))
    elif f.access_status == AccessStatus.REQUESTED:
        reasons.append(
            Reason("access_requested", Severity.WORK, q, _("Access has been requested but not granted yet."))
        )
    elif f.access_status == AccessStatus.NOT_REQUESTED:
        reasons.append(Reason("access_not_requested", Severity.WORK, q, _("Access has not been requested yet.")))

    if f.origin == Origin.EXTERNAL:
        if f.terms_permit_use == TermsAnswer.NO:
            reasons.append(
                Reason(
                    "terms_forbid_use",
                    Severity.BLOCKER,
                    q,
                    _("The licence or terms of use of this external data do not permit this use."),
                )
            )
        elif f.terms_permit_use != TermsAnswer.YES:
            reasons.append(
                Reason(
                    "terms_unchecked",
                    Severity.WORK,
                    q,
                    _("Check whether the licence or terms of use of this external data permit this use."),
                )
            )

    if f.accessible_today == Answer.NO:
        reasons.append(Reason("not_accessible", Severity.WORK, q, _("The data is not accessible today.")))
    elif f.accessible_today != Answer.YES:
        reasons.append(
            Reason(
                "accessibility_unanswered", Severity.WORK, q, _("It is not known yet whether the data is accessible.")
            )
        )

    planned = set(f.preprocessing)
    steps = [s for s in _PREPROCESSING_ORDER if s in planned]
    if steps:
        reasons.append(
            Reason(
                "preprocessing_needed",
                Severity.WORK,
                q,
                format_lazy(_("Preprocessing is needed: {steps}."), steps=_LazyLabels(Preprocessing, steps)),
            )
        )

    if f.search_index in (SearchIndex.FULL_TEXT, SearchIndex.VECTOR, SearchIndex.HYBRID):
        reasons.append(
            Reason(
                "index_needed",
                Severity.WORK,
                q,
                format_lazy(
                    _("A search index must be built: {index}."), index=_LazyLabels(SearchIndex, [f.search_index])
                ),
            )
        )
    elif f.search_index != SearchIndex.NONE:
        reasons.append(
            Reason("index_unanswered", Severity.WORK, q, _("It is not known yet whether a search index is needed."))
        )

    if f.extra_cost_monthly is not None and f.budget_monthly is not None:
        if f.extra_cost_currency and f.extra_cost_currency == f.budget_currency:
            if f.extra_cost_monthly > f.budget_monthly:
                reasons.append(
                    Reason(
                        "cost_over_budget",
                        Severity.WORK,
                        q,
                        format_lazy(
                            _(
                                "The estimated extra cost ({cost} {currency} a month) exceeds the use case's "
                                "monthly budget ({budget} {currency})."
                            ),
                            cost=f.extra_cost_monthly,
                            budget=f.budget_monthly,
                            currency=f.extra_cost_currency,
                        ),
                    )
                )
        else:
            reasons.append(
                Reason(
                    "cost_currency_differs",
                    Severity.NOTE,
                    q,
                    _("The extra cost and the use case's budget are in different currencies and were not compared."),
                )
            )
    return reasons


def _standardised(f: AssessmentFacts) -> list[Reason]:
    q = Question.STANDARDISED
    reasons: list[Reason] = []
    if f.meets_quality_standard == QualityAnswer.NO:
        reasons.append(
            Reason(
                "quality_below_standard",
                Severity.WORK,
                q,
                _("The data does not meet the organization's data-quality standard."),
            )
        )
    elif f.meets_quality_standard == QualityAnswer.PARTIAL:
        reasons.append(
            Reason(
                "quality_partial",
                Severity.WORK,
                q,
                _("The data meets the organization's data-quality standard only in part."),
            )
        )
    elif f.meets_quality_standard != QualityAnswer.YES:
        reasons.append(Reason("quality_unanswered", Severity.WORK, q, _("Data quality has not been checked yet.")))

    if f.contains_confidential == Answer.YES:
        reasons.append(
            Reason(
                "confidential_stays_inside",
                Severity.NOTE,
                q,
                _(
                    "The data holds confidential information that must stay inside the company: only models "
                    "run inside the company qualify."
                ),
            )
        )
    elif f.contains_confidential == Answer.NO:
        if f.classification in (Classification.CONFIDENTIAL, Classification.RESTRICTED):
            reasons.append(
                Reason(
                    "classification_mismatch",
                    Severity.WORK,
                    q,
                    format_lazy(
                        _(
                            "The source is classified {classification}, but the assessment says it holds no "
                            "confidential information; reconcile the two."
                        ),
                        classification=_LazyLabels(Classification, [f.classification]),
                    ),
                )
            )
    else:
        reasons.append(
            Reason(
                "confidential_unanswered",
                Severity.WORK,
                q,
                _("It is not known yet whether the data holds confidential information."),
            )
        )

    if f.anonymisation_required == Answer.YES:
        if Preprocessing.ANONYMISATION not in f.preprocessing:
            reasons.append(
                Reason(
                    "anonymisation_not_planned",
                    Severity.WORK,
                    q,
                    _("Anonymisation is required before use but is not among the planned preprocessing steps."),
                )
            )
    elif f.anonymisation_required == Answer.NO:
        if f.contains_personal_data:
            reasons.append(
                Reason(
                    "personal_data_not_anonymised",
                    Severity.NOTE,
                    q,
                    _(
                        "The source holds personal data that will be used without anonymisation: make sure "
                        "there is a legal basis for this processing."
                    ),
                )
            )
    else:
        reasons.append(
            Reason(
                "anonymisation_unanswered",
                Severity.WORK,
                q,
                _("It is not known yet whether anonymisation is required."),
            )
        )
    return reasons


def assess(facts: AssessmentFacts) -> Readiness:
    """The verdict and its reasons (blockers first, then work, then notes; each in question order)."""
    reasons = _relevant(facts) + _available(facts) + _standardised(facts)
    reasons.sort(key=lambda r: (_SEVERITY_ORDER[r.severity], _QUESTION_ORDER[r.question]))
    if any(r.severity == Severity.BLOCKER for r in reasons):
        verdict = Verdict.BLOCKED
    elif any(r.severity == Severity.WORK for r in reasons):
        verdict = Verdict.NEEDS_WORK
    else:
        verdict = Verdict.READY
    return Readiness(verdict=verdict.value, reasons=tuple(reasons))


def rollup(results: Iterable[Readiness]) -> RollUp:
    """The use case's readiness: the worst verdict among its assessments (``not_assessed`` if none)."""
    counts = {Verdict.READY.value: 0, Verdict.NEEDS_WORK.value: 0, Verdict.BLOCKED.value: 0}
    for result in results:
        counts[result.verdict] += 1
    total = sum(counts.values())
    if total == 0:
        return RollUp(verdict=Verdict.NOT_ASSESSED.value, counts=counts, total=0)
    worst = max((v for v, n in counts.items() if n), key=lambda v: _VERDICT_ORDER[v])
    return RollUp(verdict=worst, counts=counts, total=total)

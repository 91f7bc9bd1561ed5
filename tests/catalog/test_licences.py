"""The licence knowledge base: normalisation, verdicts, and never guessing an unknown licence."""

from __future__ import annotations

import pytest

from apps.catalog.licences import (
    MODEL_LICENCES,
    CommercialUse,
    commercial_use_verdict,
    licence_facts,
    normalise_licence_id,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("apache-2.0", "Apache-2.0"),
        ("Apache 2.0", "Apache-2.0"),
        ("mit", "MIT"),
        ("cc-by-nc-4.0", "CC-BY-NC-4.0"),
        ("llama3.1", "llama3.1"),
        ("Llama-3.1", "llama3.1"),
        ("LLAMA3.2", "llama3.2"),
        ("gemma", "gemma"),
        (["apache-2.0", "mit"], "Apache-2.0 OR MIT"),
        ("", ""),
        (None, ""),
        (42, ""),
        ("some-new-licence", "some-new-licence"),
    ],
)
def test_normalise(raw: object, expected: str) -> None:
    assert normalise_licence_id(raw) == expected


def test_other_uses_the_card_licence_name() -> None:
    assert normalise_licence_id("other", licence_name="qwen") == "qwen"
    assert normalise_licence_id("other") == "other"


@pytest.mark.parametrize(
    ("licence", "verdict"),
    [
        ("Apache-2.0", CommercialUse.ALLOWED),
        ("MIT", CommercialUse.ALLOWED),
        ("BSL-1.0", CommercialUse.ALLOWED),  # OSI-approved without an explicit entry
        ("CC-BY-4.0", CommercialUse.ALLOWED),
        ("CC-BY-NC-4.0", CommercialUse.NOT_ALLOWED),
        ("CC-BY-NC-SA-4.0", CommercialUse.NOT_ALLOWED),
        ("CC-BY-SA-4.0", CommercialUse.CONDITIONAL),
        ("GPL-3.0-only", CommercialUse.CONDITIONAL),
        ("AGPL-3.0-only", CommercialUse.CONDITIONAL),
        ("llama2", CommercialUse.CONDITIONAL),
        ("llama3", CommercialUse.CONDITIONAL),
        ("llama3.1", CommercialUse.CONDITIONAL),
        ("llama3.2", CommercialUse.CONDITIONAL),
        ("llama3.3", CommercialUse.CONDITIONAL),
        ("gemma", CommercialUse.CONDITIONAL),
        ("qwen", CommercialUse.CONDITIONAL),
        ("qwen-research", CommercialUse.NOT_ALLOWED),
        ("mnpl", CommercialUse.NOT_ALLOWED),
        ("deepseek", CommercialUse.CONDITIONAL),
        ("openrail", CommercialUse.CONDITIONAL),
        ("bigscience-openrail-m", CommercialUse.CONDITIONAL),
        ("creativeml-openrail-m", CommercialUse.CONDITIONAL),
        ("other", CommercialUse.UNKNOWN),
        ("made-up-licence", CommercialUse.UNKNOWN),
        ("", CommercialUse.UNKNOWN),
    ],
)
def test_verdicts(licence: str, verdict: str) -> None:
    assert licence_facts(licence).commercial_use == verdict


def test_llama_licences_carry_the_700m_cap_and_attribution() -> None:
    for licence in ("llama2", "llama3", "llama3.1", "llama3.2", "llama3.3"):
        facts = licence_facts(licence)
        assert facts.monthly_active_user_cap == 700_000_000
        assert facts.attribution
        assert "700" in str(facts.conditions)
        assert facts.use_restrictions


def test_openrail_family_has_use_restrictions() -> None:
    for licence in ("openrail", "openrail++", "bigcode-openrail-m", "bigscience-bloom-rail-1.0"):
        assert licence_facts(licence).use_restrictions


def test_unknown_is_reported_not_guessed() -> None:
    facts = licence_facts("llama-9000-community")
    assert facts.known is False
    assert facts.commercial_use == CommercialUse.UNKNOWN
    # a non-OSI SPDX licence without explicit facts is unknown too
    assert licence_facts("Aladdin").commercial_use == CommercialUse.UNKNOWN


def test_expressions_combine_or_permissive_and_restrictive() -> None:
    assert licence_facts(normalise_licence_id("apache-2.0 OR cc-by-nc-4.0")).commercial_use == CommercialUse.ALLOWED
    assert (
        licence_facts(normalise_licence_id("apache-2.0 AND cc-by-nc-4.0")).commercial_use == CommercialUse.NOT_ALLOWED
    )
    assert licence_facts("Apache-2.0 OR made-up").commercial_use == CommercialUse.ALLOWED
    assert licence_facts("Apache-2.0 AND made-up").commercial_use == CommercialUse.UNKNOWN


def test_every_model_licence_has_a_verdict_and_a_name() -> None:
    for licence_id, facts in MODEL_LICENCES.items():
        assert facts.id == licence_id and facts.name
        assert facts.commercial_use in CommercialUse.values
        verdict, _condition = commercial_use_verdict(licence_id)
        assert verdict == facts.commercial_use

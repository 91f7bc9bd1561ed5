"""Readable, translated explanations of the problems a refresh run records.

Workers store each problem as a short technical message (``"<code>: <detail>"`` for source errors, a few
fixed phrases otherwise) because the message is written once, in no particular language, and read by
people in theirs. This module turns a stored message into a translated summary plus the technical detail
(hosts, status codes, exception names), which stays as written.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Fixed phrases written by the tasks (apps/catalog/tasks.py, services.py, sources/modelsdev.py).
_PHRASES: dict[str, Promise] = {
    "stale": _("The run stopped making progress and was closed; entries it had not reached count as failed."),
    "entry has no Hub id": _("This entry has no Hugging Face repository id, so the Hub cannot be asked about it."),
    "rate limit reached; try again later": _("Charter's own request budget for the Hub was used up; try again later."),
    "time limit exceeded": _("Refreshing this entry took longer than the time limit; retries ran out."),
    "malformed provider": _("The catalog sent a provider record that could not be read."),
}

# Prefixes: the error code of apps.catalog.sources.errors, and the task's own "internal error".
_PREFIXES: dict[str, Promise] = {
    "offline": _("The source could not be reached (no network, DNS failure or offline mode)."),
    "transient": _("The source answered with a temporary error (5xx, timeout or dropped connection); retries ran out."),
    "rate_limited": _("The source kept answering “too many requests”; retries ran out."),
    "not_found": _("The source does not know this model."),
    "malformed": _("The source sent data that could not be read (truncated or malformed)."),
    "malformed entry": _("The catalog sent a model record that could not be read."),
    "disallowed_host": _("A request or a redirect pointed at a host that is not configured; it was not sent."),
    "too_large": _("The answer was larger than the allowed size and was not read."),
    "error": _("The source answered with an error."),
    "internal error": _("Charter failed on this entry (the server log has the details)."),
}


@dataclass(frozen=True)
class Problem:
    summary: str
    detail: str


def describe(message: str, status: str = "") -> Problem:
    """The translated summary of a stored problem message, and its technical detail (possibly empty)."""
    text = (message or "").strip()
    if text in _PHRASES:
        return Problem(summary=str(_PHRASES[text]), detail="")
    code, separator, detail = text.partition(": ")
    if separator and code in _PREFIXES:
        return Problem(summary=str(_PREFIXES[code]), detail=detail)
    if status == "offline":
        return Problem(summary=str(_PREFIXES["offline"]), detail=text)
    return Problem(summary=str(_("Problem reported by the source.")), detail=text)

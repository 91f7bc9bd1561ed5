"""Choice lists of the data inventory and the data assessment. No models here: the readiness rules
and the import parser are pure and import only this module."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Origin(models.TextChoices):
    INTERNAL = "internal", pgettext_lazy("data origin", "Internal")
    EXTERNAL = "external", pgettext_lazy("data origin", "External")


class Classification(models.TextChoices):
    """Ordered from least to most sensitive; :data:`CLASSIFICATION_RANK` gives the order."""

    PUBLIC = "public", pgettext_lazy("data classification", "Public")
    INTERNAL = "internal", pgettext_lazy("data classification", "Internal")
    CONFIDENTIAL = "confidential", pgettext_lazy("data classification", "Confidential")
    RESTRICTED = "restricted", pgettext_lazy("data classification", "Restricted")


CLASSIFICATION_RANK: dict[str, int] = {value: rank for rank, value in enumerate(Classification.values, start=1)}
RANK_CLASSIFICATION: dict[int, str] = {rank: value for value, rank in CLASSIFICATION_RANK.items()}


def highest_classification(values: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """The most sensitive of ``values`` (``None`` when there are none)."""
    ranked = [CLASSIFICATION_RANK[v] for v in values if v in CLASSIFICATION_RANK]
    return RANK_CLASSIFICATION[max(ranked)] if ranked else None


class DataFormat(models.TextChoices):
    PLAIN_TEXT = "text", _("Plain text")
    PDF = "pdf", _("PDF")
    WORD = "word", _("Word documents")
    HTML = "html", _("HTML / web pages")
    MARKDOWN = "markdown", _("Markdown")
    CSV = "csv", _("CSV")
    SPREADSHEET = "spreadsheet", _("Spreadsheets")
    JSON = "json", _("JSON")
    XML = "xml", _("XML")
    EMAIL = "email", _("E-mail messages")
    CHAT = "chat", _("Chat transcripts")
    DATABASE = "database", _("Database tables")
    IMAGES = "images", _("Images / scans")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    OTHER = "other", _("Other")


class VolumeUnit(models.TextChoices):
    RECORDS = "records", _("records")
    DOCUMENTS = "documents", _("documents")
    PAGES = "pages", _("pages")
    MESSAGES = "messages", _("messages")
    MB = "MB", _("MB")
    GB = "GB", _("GB")
    TB = "TB", _("TB")


class UpdateFrequency(models.TextChoices):
    REAL_TIME = "real_time", _("Real time")
    HOURLY = "hourly", _("Hourly")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    AD_HOC = "ad_hoc", _("Ad hoc")
    STATIC = "static", _("Static (never updated)")


class PersonalDataCategory(models.TextChoices):
    CONTACT = "contact", _("Contact details")
    IDENTIFIERS = "identifiers", _("Identity documents and identifiers")
    FINANCIAL = "financial", _("Financial data")
    HEALTH = "health", _("Health data")
    BIOMETRIC = "biometric", _("Biometric data")
    LOCATION = "location", _("Location data")
    EMPLOYMENT = "employment", _("Employment data")
    COMMUNICATIONS = "communications", _("Communications content")
    SPECIAL = "special", _("Special categories (beliefs, ethnicity, union membership…)")
    CHILDREN = "children", _("Children's data")
    OTHER = "other", _("Other personal data")


# --- data assessment (design.md §1.1) -------------------------------------------------------------


class Relevance(models.TextChoices):
    YES = "yes", _("Yes, it holds what the task needs")
    PARTIAL = "partial", _("Partly")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not assessed yet")


class Answer(models.TextChoices):
    """A yes/no question that may not be answered yet."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known yet")


class QualityAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTIAL = "partial", _("Partly")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not checked yet")


class TermsAnswer(models.TextChoices):
    """Do the licence / terms of use of an external source permit this use?"""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not checked yet")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (internal data)")


class AccessStatus(models.TextChoices):
    GRANTED = "granted", _("Granted")
    NOT_REQUIRED = "not_required", _("No approval required")
    REQUESTED = "requested", _("Requested, waiting")
    NOT_REQUESTED = "not_requested", _("Not requested yet")
    REFUSED = "refused", _("Refused")


class Preprocessing(models.TextChoices):
    CLEANING = "cleaning", _("Cleaning")
    DEDUPLICATION = "deduplication", _("Deduplication")
    OCR = "ocr", _("OCR")
    FORMAT_CONVERSION = "format_conversion", _("Format conversion")
    CHUNKING = "chunking", _("Chunking")
    ANONYMISATION = "anonymisation", _("Anonymisation")
    TRANSLATION = "translation", _("Translation")
    LABELLING = "labelling", _("Labelling")
    OTHER = "other", _("Other")


class SearchIndex(models.TextChoices):
    NONE = "none", _("No index needed")
    FULL_TEXT = "full_text", _("Full-text index")
    VECTOR = "vector", _("Vector index")
    HYBRID = "hybrid", _("Full-text and vector index")
    UNKNOWN = "unknown", _("Not known yet")

"""Bulk import of the data inventory from CSV or XLSX — parsing and validation only (pure, no
database). The service (:func:`apps.datasources.services.datasource_import`) resolves owners, runs
the model validation and saves everything in one transaction, or nothing.

What the parser guarantees:

* the file is at most :data:`MAX_IMPORT_BYTES` and its *content* matches its extension (``.csv`` is
  text, ``.xlsx`` is an Excel workbook); anything else is an :class:`ImportFileError` with a
  translated message — never an unhandled exception;
* the header names every required column and no unknown one (headers may be the column keys of the
  template or their labels, in any language the portal speaks, case-insensitively);
* every cell is converted to the model's type (choices by code or label, booleans as yes/no, numbers
  with ``.`` or ``,`` decimals) and checked, and every problem is reported as
  :class:`CellError` (spreadsheet row number — the header is row 1 — column key, message);
* names are unique within the file and against ``existing_names``; owners are members
  (``owner_emails``) when the caller passes them.

A leading apostrophe in front of ``= + - @`` (the formula-injection guard the export adds) is
removed again, so an exported inventory imports back unchanged.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.datasources.choices import (
    Classification,
    DataFormat,
    Origin,
    PersonalDataCategory,
    UpdateFrequency,
    VolumeUnit,
)
from apps.datasources.validation import datasource_cross_field_errors
from apps.usecases.choices import Currency

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_REPORTED_ERRORS = 500
MAX_TAGS = 20
TAG_MAX_LENGTH = 50
NAME_MAX_LENGTH = 200
SHORT_TEXT_MAX_LENGTH = 200
LONG_TEXT_MAX_LENGTH = 5000

XLSX_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class Kind:
    TEXT = "text"
    LONG_TEXT = "long_text"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    BOOLEAN = "boolean"
    DECIMAL = "decimal"
    EMAIL = "email"
    TAGS = "tags"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: str
    help: str | Promise
    required: bool = False
    max_length: int | None = None
    choices: type[models.TextChoices] | None = None


COLUMNS: tuple[Column, ...] = (
    Column("name", _("Name"), Kind.TEXT, _("Unique name of the data source."), True, NAME_MAX_LENGTH),
    Column("description", _("Description"), Kind.LONG_TEXT, _("What the data is."), False, LONG_TEXT_MAX_LENGTH),
    Column("owner_email", _("Owner e-mail"), Kind.EMAIL, _("E-mail address of a member who owns the source.")),
    Column("origin", _("Origin"), Kind.CHOICE, _("Internal or external data."), True, choices=Origin),
    Column(
        "system_or_provider",
        _("System or provider"),
        Kind.TEXT,
        _("The internal system it lives in, or the external provider."),
        False,
        SHORT_TEXT_MAX_LENGTH,
    ),
    Column("formats", _("Formats"), Kind.MULTI_CHOICE, _("One or more, separated by commas."), choices=DataFormat),
    Column("volume", _("Approximate volume"), Kind.DECIMAL, _("A number, e.g. 250000 or 1.5.")),
    Column("volume_unit", _("Volume unit"), Kind.CHOICE, _("Unit of the volume."), choices=VolumeUnit),
    Column("update_frequency", _("Update frequency"), Kind.CHOICE, _("How often it changes."), choices=UpdateFrequency),
    Column(
        "classification",
        _("Classification"),
        Kind.CHOICE,
        _("The data's classification."),
        True,
        choices=Classification,
    ),
    Column("contains_personal_data", _("Personal data"), Kind.BOOLEAN, _("yes or no."), True),
    Column(
        "personal_data_categories",
        _("Personal-data categories"),
        Kind.MULTI_CHOICE,
        _("Required when it holds personal data; separated by commas."),
        choices=PersonalDataCategory,
    ),
    Column(
        "access_restrictions",
        _("Access restrictions"),
        Kind.LONG_TEXT,
        _("Who may see the data and under which conditions."),
        False,
        LONG_TEXT_MAX_LENGTH,
    ),
    Column(
        "access_granted_by",
        _("Access granted by"),
        Kind.TEXT,
        _("The person or team that grants access."),
        False,
        SHORT_TEXT_MAX_LENGTH,
    ),
    Column("storage_cost_monthly", _("Storage cost per month"), Kind.DECIMAL, _("A number, e.g. 120.50.")),
    Column(
        "storage_cost_currency",
        _("Storage cost currency"),
        Kind.CHOICE,
        _("Required when a storage cost is given."),
        choices=Currency,
    ),
    Column(
        "licence",
        _("Licence or terms of use"),
        Kind.LONG_TEXT,
        _("Required for external data."),
        False,
        LONG_TEXT_MAX_LENGTH,
    ),
    Column(
        "tags",
        _("Tags"),
        Kind.TAGS,
        _("Separated by commas, at most 20 tags of up to 50 characters."),
    ),
)
COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS)
_BY_KEY = {c.key: c for c in COLUMNS}

_TRUE = {"yes", "y", "true", "1", "да", "д", "истина"}
_FALSE = {"no", "n", "false", "0", "нет", "н", "ложь"}
_SPLIT_RE = re.compile(r"[,;|\n]+")
_CONTROL_RE = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f]")


class ImportFileError(Exception):
    """The file as a whole can't be imported (size, type, unreadable, wrong header)."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CellError:
    row: int | None
    column: str | None
    message: str | Promise

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": str(self.message)}


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]


@dataclass
class ParsedImport:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    truncated_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.truncated_errors

    def add_error(self, row: int | None, column: str | None, message: str | Promise) -> None:
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(CellError(row, column, message))
        else:
            self.truncated_errors += 1


# --- reading the file ---------------------------------------------------------------------------


def file_kind(filename: str) -> str:
    """``csv`` or ``xlsx`` from the file name, or an :class:`ImportFileError`."""
    lower = (filename or "").lower().strip()
    if lower.endswith(".csv"):
        return "csv"
    if lower.endswith(".xlsx"):
        return "xlsx"
    raise ImportFileError(_("Upload a .csv or .xlsx file."))


def check_size(size: int) -> None:
    if size > MAX_IMPORT_BYTES:
        raise ImportFileError(
            _("The file is too large: the limit is %(limit)d MB.") % {"limit": MAX_IMPORT_BYTES // (1024 * 1024)}
        )
    if size == 0:
        raise ImportFileError(_("The file is empty."))


def _decode_csv(data: bytes) -> str:
    if data.startswith(XLSX_SIGNATURE) or data.startswith(OLE2_SIGNATURE):
        raise ImportFileError(_("The file is named .csv but its content is a spreadsheet or another binary file."))
    if _CONTROL_RE.search(data[:65536]):
        raise ImportFileError(_("The file is named .csv but its content is not text."))
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file's text encoding is not supported; save it as UTF-8 CSV."))


def _read_csv(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = _decode_csv(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, record in enumerate(reader, start=1):
            yield number, list(record)
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    if data.startswith(OLE2_SIGNATURE):
        raise ImportFileError(
            _(
                "This is a legacy Excel (.xls) or a password-protected workbook; save it as an "
                "unprotected .xlsx workbook or as CSV."
            )
        )
    not_a_workbook = _("The file is named .xlsx but its content is not an Excel workbook.")
    if not data.startswith(XLSX_SIGNATURE):
        raise ImportFileError(not_a_workbook)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            uncompressed = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(not_a_workbook) from exc
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise ImportFileError(not_a_workbook)
    if uncompressed > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError(_("The workbook is too large once uncompressed."))

    import openpyxl

    unreadable = _("The workbook could not be read; open it in a spreadsheet program and save it again.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportFileError(unreadable) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(unreadable)
        sheet = workbook.worksheets[0]
        try:
            if hasattr(sheet, "reset_dimensions"):
                # some producers write a wrong <dimension>; read every row that is really there
                sheet.reset_dimensions()
            for number, record in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(record)
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError(unreadable) from exc
    finally:
        workbook.close()


def read_records(data: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) of the first sheet / the CSV, after the size and content checks."""
    kind = file_kind(filename)
    check_size(len(data))
    return _read_csv(data) if kind == "csv" else _read_xlsx(data)


# --- converting cells ---------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def unescape_formula(text: str) -> str:
    """Undo :func:`apps.datasources.exporting.escape_formula`."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        return text[1:]
    return text


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unescape_formula(str(value).strip())


def _norm(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices.choices:
                lookup.setdefault(_norm(str(label)), value)
    for value in choices.values:
        lookup[_norm(value)] = value
    return lookup


def _column_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            for column in COLUMNS:
                lookup.setdefault(_norm(str(column.label)), column.key)
    for column in COLUMNS:
        lookup[_norm(column.key)] = column.key
    return lookup


def parse_decimal(value: Any) -> Decimal:
    """A non-negative number with at most two decimals and ten integer digits; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = re.sub(r"[\s\u00a0\u202f']", "", str(value))
        # "1,234.5" → thousands separator; "1,5" → decimal comma
        text = text.replace(",", "") if "," in text and "." in text else text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError from exc
    if not number.is_finite() or number < 0 or number >= Decimal(10) ** 12:
        raise ValueError
    return number.quantize(Decimal("0.01"))


class _Converter:
    def __init__(self) -> None:
        self.choice_lookups = {c.key: _choice_lookup(c.choices) for c in COLUMNS if c.choices is not None}

    def convert(self, column: Column, raw: Any) -> Any:
        """The typed value of one cell; raises ValidationError with a translated message."""
        if _is_blank(raw):
            if column.required:
                raise ValidationError(_("This value is required."))
            return [] if column.kind in (Kind.MULTI_CHOICE, Kind.TAGS) else None
        kind = column.kind
        if kind in (Kind.TEXT, Kind.LONG_TEXT):
            text = _as_text(raw)
            if column.max_length and len(text) > column.max_length:
                raise ValidationError(
                    _("At most %(max)d characters (this value has %(length)d).")
                    % {"max": column.max_length, "length": len(text)}
                )
            return text
        if kind == Kind.EMAIL:
            email = _as_text(raw).lower()
            try:
                validate_email(email)
            except ValidationError as exc:
                raise ValidationError(_("“%(value)s” is not a valid e-mail address.") % {"value": email}) from exc
            return email
        if kind == Kind.BOOLEAN:
            if isinstance(raw, bool):
                return raw
            token = _as_text(raw).casefold()
            if token in _TRUE:
                return True
            if token in _FALSE:
                return False
            raise ValidationError(_("“%(value)s” is not yes or no.") % {"value": _as_text(raw)})
        if kind == Kind.DECIMAL:
            try:
                return parse_decimal(raw)
            except ValueError as exc:
                raise ValidationError(
                    _("“%(value)s” is not a non-negative number with at most two decimals.") % {"value": _as_text(raw)}
                ) from exc
        if kind == Kind.CHOICE:
            return self._choice(column, _as_text(raw))
        if kind == Kind.MULTI_CHOICE:
            values: list[str] = []
            for part in _SPLIT_RE.split(_as_text(raw)):
                if part.strip():
                    value = self._choice(column, part)
                    if value not in values:
                        values.append(value)
            return values
        if kind == Kind.TAGS:
            return parse_tags(_as_text(raw))
        raise AssertionError(f"unknown column kind {kind}")  # pragma: no cover

    def _choice(self, column: Column, text: str) -> str:
        value = self.choice_lookups[column.key].get(_norm(text))
        if value is None:
            assert column.choices is not None
            raise ValidationError(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": text.strip(), "allowed": ", ".join(column.choices.values)}
            )
        return value


def parse_tags(text: str) -> list[str]:
    """Tags from a comma/semicolon separated string: trimmed, de-duplicated case-insensitively."""
    tags: list[str] = []
    seen: set[str] = set()
    for part in _SPLIT_RE.split(text or ""):
        tag = " ".join(part.split())
        if not tag:
            continue
        if len(tag) > TAG_MAX_LENGTH:
            raise ValidationError(
                _("The tag “%(tag)s…” is longer than %(max)d characters.") % {"tag": tag[:20], "max": TAG_MAX_LENGTH}
            )
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(_("At most %(max)d tags.") % {"max": MAX_TAGS})
    return tags


# --- the whole file -----------------------------------------------------------------------------


def _header(cells: list[Any]) -> list[str | None]:
    lookup = _column_lookup()
    keys: list[str | None] = []
    unknown: list[str] = []
    for cell in cells:
        if _is_blank(cell):
            keys.append(None)
            continue
        text = _as_text(cell).lstrip("\ufeff").rstrip("*").strip()
        key = lookup.get(_norm(text))
        if key is None:
            unknown.append(text)
        keys.append(key)
    if unknown:
        raise ImportFileError(
            _("Unknown column(s): %(columns)s. Use the columns of the template.") % {"columns": ", ".join(unknown)}
        )
    present = [k for k in keys if k]
    duplicates = sorted({k for k in present if present.count(k) > 1})
    if duplicates:
        raise ImportFileError(_("Duplicate column(s): %(columns)s.") % {"columns": ", ".join(duplicates)})
    missing = [c.key for c in COLUMNS if c.required and c.key not in present]
    if missing:
        raise ImportFileError(_("Missing required column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    return keys


def parse_datasources(
    data: bytes,
    filename: str,
    *,
    existing_names: Collection[str] = (),
    owner_emails: Collection[str] | None = None,
) -> ParsedImport:
    """Parse and validate an inventory file. File-level problems raise :class:`ImportFileError`;
    cell problems are collected in :attr:`ParsedImport.errors` (the rows are still returned so a
    caller can show what was read, but a caller must import nothing unless ``ok``)."""
    result = ParsedImport()
    records = read_records(data, filename)
    header: list[str | None] | None = None
    converter = _Converter()
    taken = {n.casefold() for n in existing_names}
    seen_in_file: dict[str, int] = {}
    members = {e.lower() for e in owner_emails} if owner_emails is not None else None

    for number, cells in records:
        if header is None:
            if all(_is_blank(c) for c in cells):
                continue
            header = _header(cells)
            continue
        if all(_is_blank(c) for c in cells):
            continue
        if len(result.rows) >= MAX_IMPORT_ROWS:
            raise ImportFileError(_("Too many rows: the limit is %(max)d per file.") % {"max": MAX_IMPORT_ROWS})
        extra = cells[len(header) :]
        if any(not _is_blank(c) for c in extra):
            result.add_error(number, None, _("The row has more cells than the header has columns."))
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for index, key in enumerate(header):
            if key is None:
                continue
            raw = cells[index] if index < len(cells) else None
            try:
                values[key] = converter.convert(_BY_KEY[key], raw)
            except ValidationError as exc:
                failed.add(key)
                result.add_error(number, key, exc.messages[0])
        for column in COLUMNS:
            values.setdefault(column.key, [] if column.kind in (Kind.MULTI_CHOICE, Kind.TAGS) else None)
        _check_row(result, number, values, failed, taken=taken, seen_in_file=seen_in_file, members=members)
        result.rows.append(ParsedRow(row=number, values=values))

    if header is None:
        raise ImportFileError(_("The file has no header row."))
    if not result.rows and not result.errors:
        raise ImportFileError(_("The file has no data rows."))
    return result


def _check_row(
    result: ParsedImport,
    number: int,
    values: dict[str, Any],
    failed: set[str],
    *,
    taken: set[str],
    seen_in_file: dict[str, int],
    members: set[str] | None,
) -> None:
    name = values.get("name")
    if name and "name" not in failed:
        folded = name.casefold()
        if folded in taken:
            result.add_error(number, "name", _("A data source named “%(name)s” already exists.") % {"name": name})
        elif folded in seen_in_file:
            result.add_error(
                number,
                "name",
                _("The name “%(name)s” is already used in row %(row)d of this file.")
                % {"name": name, "row": seen_in_file[folded]},
            )
        else:
            seen_in_file[folded] = number
    email = values.get("owner_email")
    if members is not None and email and "owner_email" not in failed and email not in members:
        result.add_error(number, "owner_email", _("%(email)s is not a member of this organization.") % {"email": email})
    for key, message in datasource_cross_field_errors(values).items():
        if key not in failed and not (failed & _DEPENDS.get(key, set())):
            result.add_error(number, key, message)


#: A cross-field error on the key is not reported when a column it depends on already failed.
_DEPENDS: dict[str, set[str]] = {
    "licence": {"origin"},
    "volume_unit": {"volume"},
    "volume": {"volume_unit"},
    "storage_cost_currency": {"storage_cost_monthly"},
    "personal_data_categories": {"contains_personal_data"},
}


# --- the template -------------------------------------------------------------------------------


def allowed_values_text(column: Column) -> str:
    if column.choices is not None:
        return "; ".join(f"{value} ({label})" for value, label in column.choices.choices)
    if column.kind == Kind.BOOLEAN:
        return "yes; no"
    return ""


def build_template(kind: str) -> bytes:
    """An empty import file with the right header. The XLSX template adds drop-down lists for the
    single-choice columns and a help sheet (in the active language)."""
    if kind == "csv":
        text = io.StringIO()
        csv.writer(text).writerow(COLUMN_KEYS)
        return text.getvalue().encode("utf-8-sig")
    if kind != "xlsx":
        raise ValueError(kind)

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(_("Data sources"))[:31]
    sheet.append(list(COLUMN_KEYS))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(14, len(column.key) + 4)
        options: list[str] | None = None
        if column.kind == Kind.CHOICE and column.choices is not None:
            options = list(column.choices.values)
        elif column.kind == Kind.BOOLEAN:
            options = ["yes", "no"]
        if options:
            validation = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True)
            validation.add(f"{letter}2:{letter}{MAX_IMPORT_ROWS + 1}")
            sheet.add_data_validation(validation)

    help_sheet = workbook.create_sheet(str(_("Help"))[:31])
    help_sheet.append([str(_("Column")), str(_("Required")), str(_("Description")), str(_("Allowed values"))])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        help_sheet.append(
            [
                column.key,
                str(_("yes")) if column.required else "",
                f"{column.label}. {column.help}",
                allowed_values_text(column),
            ]
        )
    for letter, width in zip("ABCD", (26, 10, 60, 90), strict=True):
        help_sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def iter_columns() -> Iterable[Column]:
    return iter(COLUMNS)

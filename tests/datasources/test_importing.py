"""The import parser (apps/datasources/importing.py) and the export writer: pure, no database."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.utils import translation

from apps.datasources.exporting import escape_formula, export_csv, export_xlsx
from apps.datasources.importing import (
    COLUMN_KEYS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportFileError,
    build_template,
    parse_datasources,
    parse_decimal,
    parse_tags,
)

HEADER = ["name", "origin", "classification", "contains_personal_data"]


def csv_bytes(rows: list[list[Any]], *, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_of(result: Any) -> list[tuple[int | None, str | None]]:
    return [(e.row, e.column) for e in result.errors]


# --- happy paths -------------------------------------------------------------------------------


def test_minimal_csv_row() -> None:
    result = parse_datasources(csv_bytes([HEADER, ["CRM tickets", "internal", "confidential", "yes"]]), "x.csv")
    assert result.ok is False  # personal data without categories
    assert errors_of(result) == [(2, "personal_data_categories")]


def test_full_row_converts_every_type() -> None:
    header = list(COLUMN_KEYS)
    row = {
        "name": "  Support tickets  ",
        "description": "Ten years of tickets",
        "owner_email": "Owner@Example.COM",
        "origin": "Internal",
        "system_or_provider": "Zendesk",
        "formats": "text; E-mail messages, json",
        "volume": "1 250 000",
        "volume_unit": "records",
        "update_frequency": "real-time",
        "classification": "CONFIDENTIAL",
        "contains_personal_data": "да",
        "personal_data_categories": "contact, communications",
        "access_restrictions": "Support team only",
        "access_granted_by": "Head of support",
        "storage_cost_monthly": "120,50",
        "storage_cost_currency": "eur",
        "licence": "",
        "tags": "support, Support, tickets ,",
    }
    result = parse_datasources(
        csv_bytes([header, [row[k] for k in header]], delimiter=";"),
        "inventory.CSV",
        owner_emails={"owner@example.com"},
    )
    assert result.ok, [e.as_dict() for e in result.errors]
    values = result.rows[0].values
    assert result.rows[0].row == 2
    assert values["name"] == "Support tickets"
    assert values["owner_email"] == "owner@example.com"
    assert values["origin"] == "internal"
    assert values["formats"] == ["text", "email", "json"]
    assert values["volume"] == Decimal("1250000.00")
    assert values["update_frequency"] == "real_time"
    assert values["classification"] == "confidential"
    assert values["contains_personal_data"] is True
    assert values["personal_data_categories"] == ["contact", "communications"]
    assert values["storage_cost_monthly"] == Decimal("120.50")
    assert values["storage_cost_currency"] == "EUR"
    assert values["licence"] is None
    assert values["tags"] == ["support", "tickets"]


def test_russian_labels_and_headers_are_accepted() -> None:
    with translation.override("ru"):
        from apps.datasources.importing import COLUMNS

        labels = {c.key: str(c.label) for c in COLUMNS}
        from apps.datasources.choices import Origin

        external = str(Origin.EXTERNAL.label)
    header = [
        labels["name"],
        labels["origin"],
        labels["classification"],
        labels["contains_personal_data"],
        labels["licence"],
    ]
    data = csv_bytes([header, ["Рыночные данные", external, "public", "нет", "CC BY 4.0"]], encoding="cp1251")
    result = parse_datasources(data, "данные.csv")
    assert result.ok, [e.as_dict() for e in result.errors]
    assert result.rows[0].values["origin"] == "external"
    assert result.rows[0].values["name"] == "Рыночные данные"


def test_xlsx_with_native_types() -> None:
    rows = [
        HEADER + ["volume", "volume_unit", "storage_cost_monthly", "storage_cost_currency"],
        ["Wiki", "internal", "internal", False, 1500, "pages", 12.5, "USD"],
        [None, None, None, None],
        ["Manuals", "internal", "public", "no", 2.0, "GB", None, None],
    ]
    result = parse_datasources(xlsx_bytes(rows), "inv.xlsx")
    assert result.ok, [e.as_dict() for e in result.errors]
    assert [r.row for r in result.rows] == [2, 4]
    assert result.rows[0].values["contains_personal_data"] is False
    assert result.rows[0].values["volume"] == Decimal("1500.00")
    assert result.rows[0].values["storage_cost_monthly"] == Decimal("12.50")


def test_formula_escape_is_undone_on_import() -> None:
    result = parse_datasources(csv_bytes([HEADER, ["'=SUM(A1)", "internal", "public", "no"]]), "x.csv")
    assert result.rows[0].values["name"] == "=SUM(A1)"


def test_blank_lines_before_header_and_between_rows_are_skipped() -> None:
    data = b"\n\n" + csv_bytes(
        [HEADER, ["A", "internal", "public", "no"], ["", "", "", ""], ["B", "internal", "public", "no"]]
    )
    result = parse_datasources(data, "x.csv")
    assert result.ok
    assert [r.values["name"] for r in result.rows] == ["A", "B"]


# --- bad rows ------------------------------------------------------------------------------------


def test_each_bad_cell_is_reported_with_row_and_column() -> None:
    rows = [
        HEADER + ["volume", "storage_cost_monthly", "owner_email", "tags"],
        ["Good", "internal", "public", "no", "", "", "", ""],
        ["", "sideways", "secret", "maybe", "-3", "abc", "not-an-email", "x" * 51],
    ]
    result = parse_datasources(csv_bytes(rows), "x.csv")
    assert not result.ok
    assert errors_of(result) == [
        (3, "name"),
        (3, "origin"),
        (3, "classification"),
        (3, "contains_personal_data"),
        (3, "volume"),
        (3, "storage_cost_monthly"),
        (3, "owner_email"),
        (3, "tags"),
    ]
    with translation.override("en"):
        messages = {e.column: str(e.message) for e in result.errors}
    assert messages["name"] == "This value is required."
    assert "sideways" in messages["origin"] and "internal, external" in messages["origin"]
    assert "maybe" in messages["contains_personal_data"]


def test_cross_field_rules() -> None:
    rows = [
        HEADER + ["licence", "volume", "volume_unit", "storage_cost_monthly", "personal_data_categories"],
        ["Ext", "external", "public", "no", "", "10", "", "5", "health"],
        ["Unit only", "internal", "public", "no", "", "", "GB", "", ""],
    ]
    result = parse_datasources(csv_bytes(rows), "x.csv")
    assert sorted(errors_of(result)) == sorted(
        [
            (2, "licence"),
            (2, "volume_unit"),
            (2, "storage_cost_currency"),
            (2, "personal_data_categories"),
            (3, "volume"),
        ]
    )


def test_duplicate_names_in_file_and_against_existing() -> None:
    rows = [
        HEADER,
        ["Wiki", "internal", "public", "no"],
        ["wiki", "internal", "public", "no"],
        ["CRM", "internal", "public", "no"],
    ]
    result = parse_datasources(csv_bytes(rows), "x.csv", existing_names={"crm"})
    assert errors_of(result) == [(3, "name"), (4, "name")]
    with translation.override("en"):
        assert "row 2" in str(result.errors[0].message)


def test_owner_must_be_a_member() -> None:
    rows = [HEADER + ["owner_email"], ["Wiki", "internal", "public", "no", "stranger@example.com"]]
    result = parse_datasources(csv_bytes(rows), "x.csv", owner_emails={"member@example.com"})
    assert errors_of(result) == [(2, "owner_email")]


def test_too_long_text() -> None:
    result = parse_datasources(csv_bytes([HEADER, ["n" * 201, "internal", "public", "no"]]), "x.csv")
    assert errors_of(result) == [(2, "name")]


def test_row_longer_than_header() -> None:
    result = parse_datasources(csv_bytes([HEADER, ["A", "internal", "public", "no", "surprise"]]), "x.csv")
    assert errors_of(result) == [(2, None)]


def test_quoted_multiline_cell_keeps_record_numbers() -> None:
    data = (
        b'name,origin,classification,contains_personal_data,description\n"A",internal,public,no,"line1\nline2"\n'
        b"B,internal,public,maybe,\n"
    )
    result = parse_datasources(data, "x.csv")
    assert errors_of(result) == [(3, "contains_personal_data")]
    assert result.rows[0].values["description"] == "line1\nline2"


# --- bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["data.txt", "data.xls", "data", "data.csv.exe", ""])
def test_wrong_extension(name: str) -> None:
    with pytest.raises(ImportFileError, match=r"\.csv or \.xlsx"):
        parse_datasources(csv_bytes([HEADER]), name)


def test_oversized_file() -> None:
    with pytest.raises(ImportFileError, match="too large"):
        parse_datasources(b"a" * (MAX_IMPORT_BYTES + 1), "x.csv")


def test_empty_file() -> None:
    with pytest.raises(ImportFileError, match="empty"):
        parse_datasources(b"", "x.csv")


def test_garbage_named_xlsx() -> None:
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        parse_datasources(bytes(range(256)) * 10, "inventory.xlsx")


def test_csv_named_xlsx() -> None:
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        parse_datasources(csv_bytes([HEADER, ["A", "internal", "public", "no"]]), "inventory.xlsx")


def test_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        parse_datasources(buffer.getvalue(), "inventory.xlsx")


def test_truncated_workbook() -> None:
    data = xlsx_bytes([HEADER, ["A", "internal", "public", "no"]])
    with pytest.raises(ImportFileError):
        parse_datasources(data[: len(data) // 2], "inventory.xlsx")


def test_workbook_with_corrupt_sheet_xml() -> None:
    data = xlsx_bytes([HEADER, ["A", "internal", "public", "no"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(item, content)
    with pytest.raises(ImportFileError, match="could not be read"):
        parse_datasources(buffer.getvalue(), "inventory.xlsx")


def test_legacy_xls_signature() -> None:
    with pytest.raises(ImportFileError, match="legacy Excel"):
        parse_datasources(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "inventory.xlsx")


def test_workbook_named_csv() -> None:
    with pytest.raises(ImportFileError, match="named .csv"):
        parse_datasources(xlsx_bytes([HEADER]), "inventory.csv")


def test_binary_named_csv() -> None:
    with pytest.raises(ImportFileError, match="not text"):
        parse_datasources(b"\x00\x01\x02garbage\xff\xfe" * 50, "inventory.csv")


def test_unknown_and_missing_columns() -> None:
    with pytest.raises(ImportFileError, match="Unknown column.*clasification"):
        parse_datasources(csv_bytes([["name", "origin", "clasification"], ["A", "internal", "x"]]), "x.csv")
    with pytest.raises(ImportFileError, match="Missing required column.*classification"):
        parse_datasources(csv_bytes([["name", "origin"], ["A", "internal"]]), "x.csv")
    with pytest.raises(ImportFileError, match="Duplicate column.*name"):
        parse_datasources(csv_bytes([["name", "Name", "origin", "classification"]]), "x.csv")


def test_header_only_is_an_error() -> None:
    with pytest.raises(ImportFileError, match="no data rows"):
        parse_datasources(csv_bytes([HEADER]), "x.csv")


def test_too_many_rows() -> None:
    rows = [HEADER] + [[f"S{i}", "internal", "public", "no"] for i in range(MAX_IMPORT_ROWS + 1)]
    with pytest.raises(ImportFileError, match="Too many rows"):
        parse_datasources(csv_bytes(rows), "x.csv")


# --- helpers ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.5", "1.50"), ("1,5", "1.50"), ("1,234.5", "1234.50"), ("1 234,5", "1234.50"), (3, "3.00"), (0.1, "0.10")],
)
def test_parse_decimal(raw: Any, expected: str) -> None:
    assert parse_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["-1", "abc", "NaN", "Infinity", "1e20", True])
def test_parse_decimal_rejects(raw: Any) -> None:
    with pytest.raises(ValueError):
        parse_decimal(raw)


def test_parse_tags_limits() -> None:
    assert parse_tags(" a ; b,, A ") == ["a", "b"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        parse_tags(",".join(f"t{i}" for i in range(21)))


# --- template and export ---------------------------------------------------------------------------


def test_csv_template_round_trips_as_header() -> None:
    template = build_template("csv")
    assert template.startswith(b"\xef\xbb\xbf")
    with pytest.raises(ImportFileError, match="no data rows"):
        parse_datasources(template, "template.csv")


def test_xlsx_template_has_validation_and_help_and_parses() -> None:
    with translation.override("ru"):
        template = build_template("xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    data_sheet, help_sheet = workbook.worksheets
    assert [c.value for c in data_sheet[1]] == list(COLUMN_KEYS)
    assert data_sheet.data_validations.dataValidation
    assert help_sheet.max_row == len(COLUMN_KEYS) + 1
    data_sheet.append(["Wiki", "", "", "internal", "", "", "", "", "", "public", "no"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = parse_datasources(buffer.getvalue(), "template.xlsx")
    assert result.ok and result.rows[0].values["name"] == "Wiki"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_escape_formula(text: str) -> None:
    assert escape_formula(text) == "'" + text


def test_escape_formula_leaves_plain_text() -> None:
    assert escape_formula("Wiki = docs") == "Wiki = docs"


EXPORT_ROW = {
    "name": '=HYPERLINK("http://evil")',
    "origin": "external",
    "classification": "public",
    "contains_personal_data": True,
    "personal_data_categories": ["contact", "other"],
    "formats": ["pdf"],
    "volume": Decimal("12.50"),
    "volume_unit": "GB",
    "licence": "@licence",
    "tags": ["a", "b"],
    "description": "multi\nline",
}


def test_export_csv_escapes_and_reimports() -> None:
    data = export_csv([EXPORT_ROW])
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@licence" in text
    result = parse_datasources(data, "export.csv")
    assert result.ok, [e.as_dict() for e in result.errors]
    values = result.rows[0].values
    assert values["name"] == EXPORT_ROW["name"]
    assert values["licence"] == "@licence"
    assert values["personal_data_categories"] == ["contact", "other"]
    assert values["tags"] == ["a", "b"]
    assert values["description"] == "multi\nline"


def test_export_xlsx_has_no_formulas_and_reimports() -> None:
    data = export_xlsx([EXPORT_ROW])
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert sheet.cell(row=2, column=1).value == "'" + EXPORT_ROW["name"]
    assert sheet.cell(row=2, column=COLUMN_KEYS.index("volume") + 1).value == 12.5
    result = parse_datasources(data, "export.xlsx")
    assert result.ok, [e.as_dict() for e in result.errors]
    assert result.rows[0].values["name"] == EXPORT_ROW["name"]
    assert result.rows[0].values["volume"] == Decimal("12.50")

"""Export of the data inventory as CSV or XLSX, in the import template's columns (so an export can be
edited and imported into another organization). Pure: rows of plain values in, bytes out.

Cells whose text starts with ``= + - @`` (or a tab / carriage return) are prefixed with an
apostrophe so a spreadsheet program never evaluates them as formulas (CSV/formula injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from apps.datasources.importing import COLUMNS, FORMULA_PREFIXES, Kind

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def escape_formula(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def cell_text(kind: str, value: Any) -> str:
    """The text of one cell as the import understands it."""
    if value is None:
        return ""
    if kind == Kind.BOOLEAN:
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _cell_value(kind: str, value: Any) -> Any:
    if kind == Kind.DECIMAL and isinstance(value, int | Decimal) and not isinstance(value, bool):
        return value
    return escape_formula(cell_text(kind, value))


def export_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[Any] = COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.key for c in columns])
    for row in rows:
        writer.writerow([escape_formula(cell_text(c.kind, row.get(c.key))) for c in columns])
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[Any] = COLUMNS, title: str = "Data sources"
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.key)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells: list[Any] = []
        for column in columns:
            value = _cell_value(column.kind, row.get(column.key))
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

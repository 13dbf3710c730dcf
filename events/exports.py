"""An event's registrations as CSV or XLSX for the secretariat.

Readable for people: status labels instead of codes ("På venteliste"), yes/no, and times in
Danish local time (Europe/Copenhagen, ``dd.mm.yyyy HH:MM``). Safe to open: every CSV cell goes
through ``core.csv.FormulaSafeWriter`` (a cell starting with ``=``, ``+``, ``-``, ``@`` gets a
leading apostrophe), and every XLSX text cell is stored as text, never as a formula.
"""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from core.csv import FormulaSafeWriter

from .models import EventPage, Registration

LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")
TIME_FORMAT = "%d.%m.%Y %H:%M"
XLSX_TIME_FORMAT = "DD.MM.YYYY HH:MM"


def local_time(value: datetime.datetime | None) -> datetime.datetime | None:
    """``value`` in Danish local time, without tzinfo (what a spreadsheet cell holds)."""
    return value.astimezone(LOCAL_ZONE).replace(tzinfo=None) if value else None


def columns() -> list[str]:
    return [
        _("Navn"),
        _("E-mail"),
        _("Organisation"),
        _("Status"),
        _("Medlem"),
        _("Sprog"),
        _("Tilmeldt"),
        _("Bekræftet"),
        _("Deltog"),
        _("Fremmøde registreret"),
        _("Kost og tilgængelighed"),
    ]


def rows(event: EventPage):
    """One list per registration, in the order of ``columns()``; times as local datetimes."""
    yes, no = _("Ja"), _("Nej")
    registrations = Registration.objects.filter(event_id=event.source_event.pk).order_by(
        "status", "created_at", "pk"
    )
    for r in registrations:
        yield [
            r.name,
            r.email,
            r.organisation,
            r.get_status_display(),
            yes if r.is_member else no,
            r.get_language_display(),
            local_time(r.created_at),
            local_time(r.confirmed_at),
            yes if r.attended else no,
            local_time(r.attended_at),
            r.needs,
        ]


def _text(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime(TIME_FORMAT)
    return "" if value is None else str(value)


def as_csv(event: EventPage) -> str:
    """Semicolon-separated with a BOM, as Danish Excel opens it without an import dialog."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = FormulaSafeWriter(csv.writer(buffer, delimiter=";"))
    writer.writerow(columns())
    for row in rows(event):
        writer.writerow([_text(value) for value in row])
    return buffer.getvalue()


def as_xlsx(event: EventPage) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Tilmeldinger"))
    sheet.append([_cell(sheet, heading) for heading in columns()])
    for row in rows(event):
        sheet.append([_cell(sheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _cell(sheet, value) -> WriteOnlyCell:
    if isinstance(value, str):  # control characters would make openpyxl refuse the file
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime.datetime):
        cell.number_format = XLSX_TIME_FORMAT
    elif cell.data_type == "f":
        cell.data_type = "s"  # text that looks like a formula stays text
    return cell


def filename(event: EventPage, extension: str) -> str:
    start = local_time(event.start)
    return f"tilmeldinger-{event.slug}-{start:%Y-%m-%d}.{extension}"

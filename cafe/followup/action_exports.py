"""Action lists as XLSX, CSV and JSON, one list per unit, guarded against formula injection.

The spreadsheet formats are Swedish whatever the interface language: a workplace meeting edits them
and the round trip (`action_import`) reads them back by their Swedish column names. The Word
document for the APT is in `action_document`.
"""
import csv
import io
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..documents import cells, downloads
from ..errors import ServiceError
from ..extensions import db
from ..models import Event, Unit, iso, utcnow
from ..models.action import ACTION_STATUSES, ActionItem
from . import actions

# Column key, header (the file format is Swedish whatever the interface language), width in characters.
COLUMNS = (
    ("id", "ID", 8), ("version", "Version", 12), ("updated_at", "Senast ändrad", 18), ("unit", "Enhet", 26),
    ("title", "Åtgärd", 40), ("description", "Beskrivning", 60), ("point", "Punkt", 12), ("level", "Nivå", 12),
    ("status", "Status", 28), ("responsible", "Ansvarig", 28), ("forum", "Forum", 16),
    ("subgoal_indicator", "Delmål: indikator", 40), ("subgoal_target", "Delmål: mål", 18),
    ("subgoal_current", "Delmål: nuläge", 22), ("due_date", "Klart senast", 13), ("comment", "Kommentar", 40),
    ("themes", "Teman", 30),
)
HEADERS = [header for _, header, _ in COLUMNS]
ADMINISTRATION_WIDE = "Hela förvaltningen"
SUMMARY = "Sammanställning"
STATUS_HEADERS = [actions.STATUS_SWEDISH[s] for s in ACTION_STATUSES]
FORUM_WORDS = {"apt": "APT", "ledningsgrupp": "ledningsgrupp", "lokal_styrgrupp": "lokal styrgrupp"}
WHAT = "atgarder"  # what the files hold, in their names


@dataclass
class UnitList:
    """One unit's åtgärdslista (unit None: the administration-wide actions)."""

    unit: Unit | None
    actions: list[ActionItem] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The unit's name, or the administration-wide heading."""
        return self.unit.name if self.unit else ADMINISTRATION_WIDE


def parse_unit_param(event: Event, value: str | None) -> int | None:
    """The `unit` query parameter: a unit id of the administration, 0 for administration-wide, or None."""
    if value in (None, ""):
        return None
    if value.strip() == "0":
        return 0
    return actions.parse_unit(event, value)


def unit_lists(event: Event, unit_id: int | None = None) -> list[UnitList]:
    """The event's counted (non-draft) actions grouped per unit, units by name, administration-wide last."""
    filters = {"unit_id": unit_id} if unit_id is not None else {}
    groups: dict[int | None, UnitList] = {}
    for action in actions.listing([event.id], filters, sort="point"):
        groups.setdefault(action.unit_id, UnitList(action.unit)).actions.append(action)
    if unit_id and unit_id not in groups:
        groups[unit_id] = UnitList(db.session.get(Unit, unit_id))
    return sorted(groups.values(), key=lambda g: (g.unit is None, g.name.lower()))


def row(action: ActionItem) -> dict:
    """One action as a row of the spreadsheet formats: times on the installation's clock, dates as dates."""
    return {
        "id": action.id, "version": action.version, "updated_at": cells.local(action.updated_at),
        "unit": action.unit.name if action.unit else ADMINISTRATION_WIDE, "title": action.title,
        "description": action.description,
        "point": actions.OUTSIDE_PLAN_SWEDISH if action.point is None else action.point,
        "level": action.level or "", "status": actions.STATUS_SWEDISH[action.status],
        "responsible": action.responsible, "forum": FORUM_WORDS.get(action.forum or "", ""),
        "subgoal_indicator": action.subgoal_indicator, "subgoal_target": action.subgoal_target,
        "subgoal_current": action.subgoal_current, "due_date": action.due_date,
        "comment": action.latest_comment, "themes": ", ".join(action.theme_labels),
    }


def unit_name(event: Event, unit_id: int | None) -> str | None:
    """The chosen unit's name for titles and file names (0: the administration-wide list)."""
    if unit_id is None:
        return None
    unit = db.session.get(Unit, unit_id) if unit_id else None
    return unit.name if unit is not None else ADMINISTRATION_WIDE


def filename(event: Event, unit_id: int | None, ext: str) -> str:
    """The download's name: the café, its date, the unit when one is chosen, e.g.
    temadag-var-arbetssituation-2026-12-03-familjeenheten-atgarder.xlsx."""
    return downloads.for_event(event.title, event.date, WHAT, ext, unit_name(event, unit_id))


# --- CSV -----------------------------------------------------------------------------------------------

def to_csv(event: Event, unit_id: int | None = None) -> bytes:
    """UTF-8 with BOM and `;`, as Excel in Swedish locale expects."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for group in unit_lists(event, unit_id):
        for action in group.actions:
            values = row(action)
            writer.writerow([cells.as_text(values[key]) for key, _, _ in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


# --- JSON ----------------------------------------------------------------------------------------------

def to_json(event: Event, unit_id: int | None = None) -> dict:
    """The lists as one JSON document."""
    return {"event": {"id": event.id, "title": event.title,
                      "date": event.date.isoformat() if event.date else None},
            "exported_at": iso(utcnow()), "unit": unit_id,
            "units": [{"unit_id": g.unit.id if g.unit else None, "name": g.name,
                       "actions": [a.to_dict() for a in g.actions]} for g in unit_lists(event, unit_id)]}


# --- XLSX ----------------------------------------------------------------------------------------------

def _about(event: Event) -> list[tuple[str, object]]:
    """The lines under a sheet's title: when the café was held and when the file was made."""
    lines = [("Caféets datum", event.date)] if event.date else []
    return lines + [("Exporterad", cells.local(utcnow()))]


def _header(sheet, row_no: int, headers: list[str], widths: list[int]) -> None:
    """A bold frozen header row and readable column widths."""
    cells.put_row(sheet, row_no, headers, bold=True)
    for col_no, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col_no)].width = width
    sheet.freeze_panes = f"A{row_no + 1}"


def _unit_sheet(book: Workbook, event: Event, group: UnitList, taken: set[str]) -> None:
    """One unit's list under a title naming the café and the unit, with a status dropdown."""
    sheet = book.create_sheet(cells.sheet_title(group.name, taken))
    head = cells.title_rows(sheet, f"{event.title} – {group.name}", _about(event))
    _header(sheet, head, HEADERS, [w for _, _, w in COLUMNS])
    for row_no, action in enumerate(group.actions, start=head + 1):
        values = row(action)
        cells.put_row(sheet, row_no, [values[key] for key, _, _ in COLUMNS])
        for cell in sheet[row_no]:
            cell.alignment = cells.WRAP
    status_col = get_column_letter(HEADERS.index("Status") + 1)
    dropdown = DataValidation(type="list", formula1='"' + ",".join(STATUS_HEADERS) + '"', allow_blank=False,
                              showErrorMessage=True, errorTitle="Status",
                              error="Välj en status i listan.")
    last = head + max(len(group.actions), 1) + 200
    dropdown.add(f"{status_col}{head + 1}:{status_col}{last}")
    sheet.add_data_validation(dropdown)
    sheet.auto_filter.ref = f"A{head}:{get_column_letter(len(COLUMNS))}{head + len(group.actions)}"


def _summary_sheet(book: Workbook, event: Event, groups: list[UnitList]) -> None:
    """Counts per unit and status, under a title naming the café."""
    sheet = book.active
    sheet.title = SUMMARY
    head = cells.title_rows(sheet, f"{event.title} – {SUMMARY.lower()} av åtgärdslistorna", _about(event))
    _header(sheet, head, ["Enhet", *STATUS_HEADERS, "Totalt"], [32] + [14] * len(STATUS_HEADERS) + [10])
    for row_no, group in enumerate(groups, start=head + 1):
        counts = [sum(1 for a in group.actions if a.status == s) for s in ACTION_STATUSES]
        cells.put_row(sheet, row_no, [group.name, *counts, len(group.actions)])


def to_xlsx(event: Event, unit_id: int | None = None) -> bytes:
    """A summary sheet plus one sheet per unit."""
    groups = unit_lists(event, unit_id)
    book = Workbook()
    _summary_sheet(book, event, groups)
    taken = {SUMMARY.lower()}
    for group in groups:
        _unit_sheet(book, event, group, taken)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS = {
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (to_csv, "text/csv; charset=utf-8"),
}


def export(event: Event, fmt: str, unit_id: int | None = None) -> tuple[bytes, str]:
    """Bytes and MIME type of the lists in a spreadsheet format."""
    if fmt not in FORMATS:
        raise ServiceError("not_found", status=404)
    build, mimetype = FORMATS[fmt]
    return build(event, unit_id), mimetype

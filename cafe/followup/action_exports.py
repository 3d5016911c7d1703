"""Action lists as XLSX, DOCX, CSV and JSON, one list per unit, guarded against formula injection."""
import csv
import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_SECTION
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import ServiceError
from ..extensions import db
from ..models import Event, Unit, iso, utcnow
from ..models.action import ACTION_STATUSES, ActionItem
from . import actions

# Column key, header (the file format is Swedish whatever the interface language), width in characters.
COLUMNS = (
    ("id", "ID", 8), ("version", "Version", 9), ("updated_at", "Senast ändrad", 21), ("unit", "Enhet", 26),
    ("title", "Åtgärd", 40), ("description", "Beskrivning", 60), ("point", "Punkt", 8), ("level", "Nivå", 12),
    ("status", "Status", 28), ("responsible", "Ansvarig", 28), ("forum", "Forum", 16),
    ("subgoal_indicator", "Delmål: indikator", 40), ("subgoal_target", "Delmål: mål", 18),
    ("subgoal_current", "Delmål: nuläge", 22), ("due_date", "Klart senast", 13), ("comment", "Kommentar", 40),
    ("themes", "Teman", 30),
)
HEADERS = [header for _, header, _ in COLUMNS]
ADMINISTRATION_WIDE = "Hela förvaltningen"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SUMMARY = "Sammanställning"
STATUS_HEADERS = [actions.STATUS_SWEDISH[s] for s in ACTION_STATUSES]


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
    """One action as a row of the spreadsheet formats."""
    return {
        "id": action.id, "version": action.version, "updated_at": iso(action.updated_at.replace(microsecond=0)),
        "unit": action.unit.name if action.unit else ADMINISTRATION_WIDE, "title": action.title,
        "description": action.description, "point": "" if action.point is None else action.point,
        "level": action.level or "",
        "status": actions.STATUS_SWEDISH[action.status], "responsible": action.responsible,
        "forum": {"apt": "APT", "ledningsgrupp": "ledningsgrupp", "lokal_styrgrupp": "lokal styrgrupp"}.get(
            action.forum or "", ""),
        "subgoal_indicator": action.subgoal_indicator, "subgoal_target": action.subgoal_target,
        "subgoal_current": action.subgoal_current,
        "due_date": action.due_date.isoformat() if action.due_date else "",
        "comment": action.latest_comment, "themes": ", ".join(action.theme_labels),
    }


def defuse(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def filename(event: Event, unit_id: int | None, ext: str) -> str:
    """The download name, e.g. atgardslista-3-enhet-7.xlsx."""
    suffix = "" if unit_id is None else f"-enhet-{unit_id}"
    return f"atgardslista-{event.id}{suffix}.{ext}"


# --- CSV -----------------------------------------------------------------------------------------------

def to_csv(event: Event, unit_id: int | None = None) -> bytes:
    """UTF-8 with BOM and `;`, as Excel in Swedish locale expects."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for group in unit_lists(event, unit_id):
        for action in group.actions:
            values = row(action)
            writer.writerow([defuse(values[key]) for key, _, _ in COLUMNS])
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

def _sheet_title(name: str, taken: set[str]) -> str:
    """A unique sheet title within Excel's 31 characters and without its forbidden characters."""
    base = "".join(" " if c in "[]:*?/\\" else c for c in name).strip()[:31] or "Enhet"
    title, n = base, 2
    while title.lower() in taken:
        title = f"{base[:27]} ({n})"
        n += 1
    taken.add(title.lower())
    return title


def _write_text(sheet, row_no: int, col_no: int, value) -> None:
    """Write a cell; text is always stored as text, never as a formula."""
    cell = sheet.cell(row=row_no, column=col_no, value="" if value is None else value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True


def _header(sheet, headers: list[str], widths: list[int]) -> None:
    """Bold frozen header row and readable column widths."""
    for col_no, (header, width) in enumerate(zip(headers, widths), start=1):
        _write_text(sheet, 1, col_no, header)
        sheet.cell(row=1, column=col_no).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(col_no)].width = width
    sheet.freeze_panes = "A2"


def _unit_sheet(book: Workbook, group: UnitList, taken: set[str]) -> None:
    """One unit's list with a status dropdown."""
    sheet = book.create_sheet(_sheet_title(group.name, taken))
    _header(sheet, HEADERS, [w for _, _, w in COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_no, action in enumerate(group.actions, start=2):
        values = row(action)
        for col_no, (key, _, _) in enumerate(COLUMNS, start=1):
            _write_text(sheet, row_no, col_no, values[key])
            sheet.cell(row=row_no, column=col_no).alignment = wrap
    status_col = get_column_letter(HEADERS.index("Status") + 1)
    dropdown = DataValidation(type="list", formula1='"' + ",".join(STATUS_HEADERS) + '"', allow_blank=False,
                              showErrorMessage=True, errorTitle="Status",
                              error="Välj en status i listan.")
    dropdown.add(f"{status_col}2:{status_col}{max(len(group.actions) + 1, 2) + 200}")
    sheet.add_data_validation(dropdown)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(group.actions) + 1}"


def _summary_sheet(book: Workbook, event: Event, groups: list[UnitList]) -> None:
    """Counts per unit and status."""
    sheet = book.active
    sheet.title = SUMMARY
    headers = ["Enhet", *STATUS_HEADERS, "Totalt"]
    _header(sheet, headers, [32] + [14] * len(STATUS_HEADERS) + [10])
    for row_no, group in enumerate(groups, start=2):
        counts = [sum(1 for a in group.actions if a.status == s) for s in ACTION_STATUSES]
        for col_no, value in enumerate([group.name, *counts, len(group.actions)], start=1):
            _write_text(sheet, row_no, col_no, value)
    _write_text(sheet, len(groups) + 3, 1, f"{event.title} – exporterad {iso(utcnow())}")


def to_xlsx(event: Event, unit_id: int | None = None) -> bytes:
    """A summary sheet plus one sheet per unit."""
    groups = unit_lists(event, unit_id)
    book = Workbook()
    _summary_sheet(book, event, groups)
    taken = {SUMMARY.lower()}
    for group in groups:
        _unit_sheet(book, group, taken)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- DOCX ----------------------------------------------------------------------------------------------

DOCX_FIELDS = (("Status", "status"), ("Punkt", "point"), ("Nivå", "level"), ("Ansvarig", "responsible"),
               ("Forum", "forum"), ("Delmål", "subgoal"), ("Klart senast", "due_date"),
               ("Senaste kommentar", "comment"), ("Teman", "themes"))


def docx_values(action: ActionItem) -> dict:
    """The facts of an action as the APT document shows them."""
    values = row(action)
    goal = " – ".join(v for v in (action.subgoal_indicator, action.subgoal_target and
                                  f"mål: {action.subgoal_target}", action.subgoal_current and
                                  f"nu: {action.subgoal_current}") if v)
    return {**values, "point": "" if action.point is None else str(action.point), "subgoal": goal}


def _docx_unit(doc, event: Event, group: UnitList) -> None:
    """One unit's list: a heading, then each action with its facts and room for the APT's decision."""
    doc.add_heading(f"Åtgärdslista – {group.name}", level=1)
    doc.add_paragraph(f"{event.title}{', ' + event.date.isoformat() if event.date else ''}. "
                      f"Underlag för arbetsplatsträffen (APT): ta ställning till varje åtgärd.")
    if not group.actions:
        doc.add_paragraph("Inga åtgärder.")
    for action in group.actions:
        doc.add_heading(action.title, level=2)
        if action.description:
            doc.add_paragraph(action.description)
        values = docx_values(action)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, key in DOCX_FIELDS:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, str(values[key] or "")
        doc.add_paragraph("Beslut på APT: ______________________________________________")


def to_docx(event: Event, unit_id: int | None = None) -> bytes:
    """One document with a section (starting on a new page) per unit."""
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    doc.core_properties.title = f"Åtgärdslistor – {event.title}"
    for n, group in enumerate(unit_lists(event, unit_id)):
        if n:
            doc.add_section(WD_SECTION.NEW_PAGE)
        _docx_unit(doc, event, group)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


FORMATS = {
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (to_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "csv": (to_csv, "text/csv; charset=utf-8"),
}


def export(event: Event, fmt: str, unit_id: int | None = None) -> tuple[bytes, str]:
    """Bytes and MIME type of the lists in a file format."""
    if fmt not in FORMATS:
        raise ServiceError("not_found", status=404)
    build, mimetype = FORMATS[fmt]
    return build(event, unit_id), mimetype

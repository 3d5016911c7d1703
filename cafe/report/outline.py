"""The report as a sequence of blocks (headings, paragraphs, lists, quotes, tables, pictures) in the
reader's language: written once here and laid out by the Word document and the HTML page alike, so the
three formats say the same thing in the same order.

Call inside `flask_babel.force_locale` of the language wanted; every text goes through gettext.
"""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from ..followup import actions
from ..labels import level_label
from ..models.action import ACTION_STATUSES
from . import charts
from .content import LEVELS, PointSection, Report, ThemeEntry, UnitActions


@dataclass
class Block:
    """One block of the report: kind is heading, paragraph, bullets, quotes, table, image, or contents (a
    table of contents, which only Word fills in; the page and the PDF leave it out)."""

    kind: str
    text: str = ""
    level: int = 1
    items: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    marked: set[int] = field(default_factory=set)  # table rows to emphasise (overdue actions)
    image: bytes = b""
    style: str = ""  # "draft" for the section the project lead writes, "empty" for "nothing here"


def heading(text: str, level: int = 1) -> Block:
    """A heading (level 1 a numbered section, 2 a point or unit, 3 below)."""
    return Block("heading", text, level=level)


def para(text: str, style: str = "") -> Block:
    """A paragraph of text."""
    return Block("paragraph", text, style=style)


def number(value: int) -> str:
    """A count in a table cell, as digits that Word and a spreadsheet read back as a number."""
    return str(value)


def point_name(report: Report, point: int | None) -> str:
    """A point by its number and title, or that it lies outside the plan."""
    if point is None:
        return str(actions.OUTSIDE_PLAN)
    titles = {p.number: p.title for p in report.points}
    return f"{point}. {titles[point]}" if point in titles else str(point)


def unit_name(unit: UnitActions) -> str:
    """A unit's name, or the administration-wide heading."""
    return unit.name or _("Hela förvaltningen")


def blocks(report: Report) -> list[Block]:
    """The whole report, section by section."""
    out = [heading(report.title, 0), para(_("Underlag: %(period)s. Sammanställt %(day)s ur det som sparats i "
                                            "Dialogcafé.", period=report.period, day=report.made_on.isoformat()))]
    out.append(Block("contents", _("Innehåll: högerklicka här i Word och välj Uppdatera fält.")))
    out += summary(report) + background(report)
    if report.empty:
        out.append(para(_("Inga anteckningar sparades i de valda caféerna, så rapporten har inget att säga om "
                          "vad medarbetarna tog upp."), "empty"))
    else:
        out += per_point(report) + outside_plan(report)
    out += action_section(report) + proposals(report) + appendices(report)
    return out


def summary(report: Report) -> list[Block]:
    """1. Sammanfattning: the cafés, how much was said, what came up most, what was decided."""
    out = [heading(_("1. Sammanfattning"))]
    if not report.cafes:
        return out + [para(_("Inga caféer hölls under perioden."), "empty")]
    out.append(Block("table", header=[_("Café"), _("Datum"), _("Plats"), _("Förvaltning"), _("Bord"),
                                      _("Samtalsledare"), _("Anteckningar")],
                     rows=[[c.title, c.day.isoformat() if c.day else "–", c.place or "–", c.administration or "–",
                            number(c.tables), number(c.hosts), number(c.notes)] for c in report.cafes]))
    facts = [ngettext("%(num)d café", "%(num)d caféer", len(report.cafes)),
             ngettext("%(num)d bord", "%(num)d bord", sum(c.tables for c in report.cafes)),
             ngettext("%(num)d samtalsledare", "%(num)d samtalsledare", sum(c.hosts for c in report.cafes)),
             ngettext("%(num)d anteckning", "%(num)d anteckningar", report.notes),
             ngettext("%(num)d svar i förhandsenkäten", "%(num)d svar i förhandsenkäten", report.ballots)]
    out.append(para(", ".join(facts) + "."))
    if report.administrations:
        out.append(para(_("Förvaltningar: %(names)s.", names=", ".join(report.administrations))))
    if report.unit_names:
        out.append(para(_("Enheter: %(names)s.", names=", ".join(report.unit_names))))
    top = report.top_points()
    if top:
        out.append(para(_("Punkterna som togs upp mest:")))
        out.append(Block("bullets", items=[
            ngettext("%(point)s (%(num)d anteckning)", "%(point)s (%(num)d anteckningar)", p.notes,
                     point=f"{p.number}. {p.title}") for p in top]))
    out.append(para(_("Nya frågor utanför handlingsplanen: %(themes)s.",
                      themes=", ".join(report.new_questions) or _("inga"))))
    out.append(para(_("Åtgärder: %(total)s, varav %(decided)s beslutade, pågående eller genomförda och %(done)s "
                      "genomförda.", total=len(report.actions), decided=report.decided, done=report.done)))
    return out


def background(report: Report) -> list[Block]:
    """2. Bakgrund: the plan and its points, the method, the pre-vote."""
    out = [heading(_("2. Bakgrund")), heading(_("Handlingsplanen"), 2)]
    out.append(para(ngettext("Caféerna utgick från %(plan)s med %(num)d punkt:",
                             "Caféerna utgick från %(plan)s med %(num)d punkter:", len(report.points),
                             plan=report.framework or "–")))
    out.append(Block("bullets", items=[f"{p.number}. {p.title}" for p in report.points]))
    out += [heading(_("Metoden"), 2), para(_(
        "Vid varje bord samtalade en mindre grupp med en samtalsledare som förde anteckningar. Samtalen gick i "
        "rundor med en fråga var, och för varje punkt frågade man vad som kan göras på tre nivåer: individ, "
        "enhet och förvaltning. Rundornas frågor finns i bilagan."))]
    out.append(heading(_("Förhandsenkäten"), 2))
    if not report.vote_points:
        return out + [para(_("Ingen förhandsenkät besvarades före caféerna."), "empty")]
    ranked = sorted(report.vote_points, key=lambda v: (-v[2], v[0]))
    out.append(para(_("%(ballots)s medarbetare svarade och valde de punkter som var viktigast för dem. Flest röster "
                      "fick: %(top)s.", ballots=report.ballots,
                      top=", ".join(f"{n}. {title} ({votes})" for n, title, votes in ranked[:3] if votes))))
    out.append(Block("table", header=[_("Punkt"), _("Röster")],
                     rows=[[f"{n}. {title}", number(votes)] for n, title, votes in report.vote_points]))
    return out


def per_point(report: Report) -> list[Block]:
    """3. Vad medarbetarna tog upp: the chart, then each point of the plan in the plan's order."""
    out = [heading(_("3. Vad medarbetarna tog upp"))]
    if report.points:
        out.append(Block("image", _("Stapeldiagram: antal anteckningar per punkt i handlingsplanen."),
                         image=charts.notes_per_point([f"{p.number}. {p.title}" for p in report.points],
                                                      [p.notes for p in report.points], _("Anteckningar"))))
    if report.previous_year is not None:
        out.append(para(_("Förändringen jämförs med caféerna %(year)s.", year=report.previous_year)))
    for point in report.points:
        out += _point(point)
    return out


def _point(point: PointSection) -> list[Block]:
    """One point: how many notes, at which levels, its themes, quotes and the change since last year."""
    out = [heading(f"{point.number}. {point.title}", 2)]
    if not point.notes:
        return out + [para(_("Inga anteckningar om den här punkten."), "empty")]
    levels = ", ".join(f"{level_label(lv)} {point.levels[lv]}" for lv in LEVELS if point.levels.get(lv))
    text = ngettext("%(num)d anteckning", "%(num)d anteckningar", point.notes)
    out.append(para(text + (_(" (nivå: %(levels)s)", levels=levels) if levels else "") + "."))
    if point.change is not None:
        out.append(para(_("Förändring sedan förra året: %(change)s (från %(before)s).",
                          change=f"{point.change:+d}", before=point.previous)))
    if point.themes:
        out.append(para(_("Teman:")))
        out.append(Block("bullets", items=[_theme_line(t) for t in point.themes]))
    if point.quotes:
        out.append(Block("quotes", items=point.quotes))
    return out


def _theme_line(theme: ThemeEntry) -> str:
    """A theme's title and size."""
    return ngettext("%(title)s (%(num)d anteckning)", "%(title)s (%(num)d anteckningar)", theme.notes,
                    title=theme.title)


def outside_plan(report: Report) -> list[Block]:
    """4. Frågor utanför handlingsplanen: the notes and themes outside every point and the actions taken on
    them, as candidates for a revised plan."""
    out = [heading(_("4. Frågor utanför handlingsplanen")),
           para(ngettext("%(num)d anteckning placerades utanför handlingsplanens punkter.",
                         "%(num)d anteckningar placerades utanför handlingsplanens punkter.", report.outside_notes))]
    if report.outside_quotes:
        out += [para(_("Några av dem:")), Block("quotes", items=report.outside_quotes)]
    if report.novel:
        out.append(para(_("Temana nedan passar ingen av punkterna och är kandidater till en reviderad plan.")))
        for theme in report.novel:
            out += [heading(_theme_line(theme), 2), Block("quotes", items=theme.quotes)]
    else:
        out.append(para(_("Syntesen hittade inga egna teman utanför handlingsplanen."), "empty"))
    if report.outside_actions:
        out += [heading(_("Åtgärder utanför handlingsplanen"), 2),
                Block("bullets", items=[f"{a.title} ({actions.STATUS_LABELS[a.status]})"
                                        for a in report.outside_actions])]
    return out


def action_section(report: Report) -> list[Block]:
    """5. Åtgärder: the chart of statuses per unit, each unit's share done, and the overdue actions."""
    out = [heading(_("5. Åtgärder"))]
    if not report.units:
        return out + [para(_("Inga åtgärder är beslutade ännu."), "empty")]
    statuses = [str(actions.STATUS_LABELS[s]) for s in ACTION_STATUSES]
    out.append(Block("image", _("Stapeldiagram: åtgärdernas status per enhet."), image=charts.status_per_unit(
        [unit_name(u) for u in report.units], statuses, [u.statuses(ACTION_STATUSES) for u in report.units],
        _("Åtgärder"))))
    out.append(Block("table", header=[_("Enhet"), _("Åtgärder"), _("Genomförda"), _("Andel genomförda"),
                                      _("Försenade")],
                     rows=[[unit_name(u), number(len(u.actions)), number(u.done), f"{round(u.share_done * 100)} %",
                            number(sum(a.overdue for a in u.actions))] for u in report.units]))
    late = [(u, a) for u in report.units for a in u.actions if a.overdue]
    out.append(para(ngettext("%(num)d åtgärd är försenad (markerad med ⚠ i bilagan).",
                             "%(num)d åtgärder är försenade (markerade med ⚠ i bilagan).", len(late))))
    if late:
        out += [heading(_("Försenade åtgärder"), 2), Block("table", header=[
            _("Enhet"), _("Åtgärd"), _("Ansvarig"), _("Klart senast"), _("Punkt")], rows=[
            [unit_name(u), a.title, a.owner or "–", a.due.isoformat(), point_name(report, a.point)] for u, a in late])]
    out.append(para(_("Varje enhets åtgärder med ansvarig, status, delmål, datum och punkt finns i bilaga 1.")))
    return out


def _action_table(report: Report, unit: UnitActions) -> Block:
    """A unit's actions with owner, status, sub-goal, due date and point; overdue rows marked."""
    rows = [[("⚠ " if a.overdue else "") + a.title, a.owner or "–", str(actions.STATUS_LABELS[a.status]),
             a.subgoal or "–", a.due.isoformat() if a.due else "–", point_name(report, a.point)]
            for a in unit.actions]
    return Block("table", header=[_("Åtgärd"), _("Ansvarig"), _("Status"), _("Delmål"), _("Klart senast"),
                                  _("Punkt")], rows=rows, marked={n for n, a in enumerate(unit.actions) if a.overdue})


def proposals(report: Report) -> list[Block]:
    """6. Förslag till fortsatt arbete: a draft for the project lead, prefilled with what weighed most."""
    out = [heading(_("6. Förslag till fortsatt arbete")),
           para(_("UTKAST – skriv om det här avsnittet innan rapporten skickas till nämnden."), "draft")]
    top = report.top_points()
    if top:
        out.append(para(_("Punkter som medarbetarna tog upp mest och som bör prioriteras:"), "draft"))
        out.append(Block("bullets", items=[f"{p.number}. {p.title}" for p in top], style="draft"))
    if report.new_questions:
        out.append(para(_("Frågor att pröva som nya punkter i en reviderad handlingsplan:"), "draft"))
        out.append(Block("bullets", items=report.new_questions, style="draft"))
    out.append(para(_("[Förvaltningens förslag skrivs här.]"), "draft"))
    return out


def appendices(report: Report) -> list[Block]:
    """7. Bilagor: the action list of every unit, and the rounds' questions."""
    out = [heading(_("7. Bilagor")), heading(_("Bilaga 1. Åtgärdslistor per enhet"), 2)]
    for unit in report.units:
        out += [heading(unit_name(unit), 3),
                para(_("%(done)s av %(total)s genomförda (%(share)s %%).", done=unit.done, total=len(unit.actions),
                       share=round(unit.share_done * 100))), _action_table(report, unit)]
    if not report.units:
        out.append(para(_("Inga åtgärder."), "empty"))
    out.append(heading(_("Bilaga 2. Rundornas frågor"), 2))
    if not report.rounds:
        return out + [para(_("Inga rundor planerades."), "empty")]
    out.append(Block("table", header=[_("Café"), _("Runda"), _("Fråga"), _("Nivå")],
                     rows=[[r.cafe, str(r.number), r.question or "–", level_label(r.level)] for r in report.rounds]))
    return out

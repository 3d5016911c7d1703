"""Command line: ``python -m nlp classify|cluster|evaluate``."""
from __future__ import annotations

import argparse
import json
import sys

from nlp.io import InputError, read_notes

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    """Build the argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(prog="python -m nlp",
                                     description="Map Swedish notes onto framework points and find themes.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("classify", "rank the points for every note (JSON lines out)"),
                       ("cluster", "group notes into themes (one JSON object out)")):
        cmd = sub.add_parser(name, help=text, description=text)
        cmd.add_argument("--input", help="JSON lines, CSV or XLSX file (default: standard input)")
        _common(cmd)
        if name == "cluster":
            cmd.add_argument("--format", choices=("json", "text"), default="json",
                             help="one JSON object (default) or a readable list of themes")
    cmd = sub.add_parser("evaluate", help="accuracy on labelled notes",
                         description="top-1/top-3 accuracy, macro-F1, novel rate, confusion matrix")
    cmd.add_argument("--labeled", required=True, help="file with text and point (0 = none)")
    _common(cmd)
    return parser


def _common(cmd: argparse.ArgumentParser) -> None:
    """Options shared by all sub-commands."""
    cmd.add_argument("--framework", help="framework JSON file (default: the 13-point action plan)")
    cmd.add_argument("--text-column", help="column with the note text in CSV/XLSX input")
    cmd.add_argument("--random-state", type=int, default=0, help="seed (default: 0)")


def _mapper(args):
    """A fitted zero-shot mapper for the chosen framework."""
    from nlp.points.mapper import PointMapper

    try:
        return PointMapper(framework=args.framework, random_state=args.random_state).fit()
    except FileNotFoundError:
        raise InputError(f"framework file not found: {args.framework}") from None
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _classify(args, out) -> None:
    """Write one JSON line with ranked points per note."""
    notes = read_notes(args.input, text_column=args.text_column)
    results = _mapper(args).map_notes([n["text"] for n in notes])
    for note, result in zip(notes, results):
        out.write(json.dumps({"id": note["id"], **result}, ensure_ascii=False, default=str) + "\n")


def _cluster(args, out) -> None:
    """Write the themes as one JSON object."""
    from nlp.themes.clustering import ThemeClusterer

    notes = read_notes(args.input, text_column=args.text_column)
    ids = [n["id"] for n in notes]
    model = ThemeClusterer(mapper=_mapper(args), random_state=args.random_state)
    model.fit([n["text"] for n in notes], ids=ids)
    unassigned = [i for i, lab in zip(ids, model.labels_) if lab < 0]
    if args.format == "text":
        out.write(_themes_as_text(model.themes_, len(unassigned)))
        return
    keys = ("id", "title", "quote", "representatives", "label", "keywords", "note_ids", "point",
            "confidence", "novel")
    themes = [{k: t.to_dict()[k] for k in keys} for t in model.themes_]
    out.write(json.dumps({"themes": themes, "unassigned": unassigned}, ensure_ascii=False,
                         default=str) + "\n")


def _themes_as_text(themes, n_unassigned: int) -> str:
    """Themes as a person reads them: title, size and point, then the quote."""
    lines = []
    for t in themes:
        where = "nytt område" if t.novel else f"punkt {t.point}"
        lines.append(f"{t.title} ({t.size} anteckningar, {where})")
        if t.quote:
            lines.append(f'    "{t.quote["text"]}"')
    lines.append(f"{n_unassigned} anteckningar utan tema")
    return "\n".join(lines) + "\n"


def _evaluate(args, out) -> None:
    """Print the evaluation report."""
    from nlp.evaluation import evaluate_mapper

    notes = read_notes(args.labeled, text_column=args.text_column, need_point=True)
    report = evaluate_mapper(_mapper(args), [n["text"] for n in notes], [n["point"] for n in notes])
    out.write(report.format() + "\n")


def main(argv=None) -> int:
    """Run the command line and return the exit code (0 ok, 2 user error)."""
    args = _parser().parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    command = {"classify": _classify, "cluster": _cluster, "evaluate": _evaluate}[args.command]
    try:
        command(args, sys.stdout)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0

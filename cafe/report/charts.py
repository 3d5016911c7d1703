"""The report's pictures, drawn on the server with matplotlib: notes per point and action status per unit.

Greyscale-safe: bars differ by grey level and hatching, never by hue alone, and every bar carries its
number, so a black-and-white print of the committee's papers reads the same.
"""
import io
from functools import cache, lru_cache

# Grey levels and hatches far enough apart to tell apart on paper, one per action status.
STYLES = [("#ffffff", "//"), ("#d9d9d9", ""), ("#a6a6a6", ".."), ("#404040", ""), ("#ffffff", "xx"),
          ("#7f7f7f", "\\\\")]
DPI = 150
WIDTH = 7.0  # inches: the text width of an A4 page with 2.5 cm margins, about 16 cm
LABEL_CHARS = 38
DRAWN = 32  # charts kept drawn: a preview, its DOCX and its PDF draw each chart once, not three times


@cache
def _pyplot():
    """matplotlib's pyplot on the Agg backend (no display on a server), imported on the first chart: a
    server process that never writes a report never pays for it."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _integer_ticks(axes) -> None:
    """Whole numbers on the count axis: there is no half a note."""
    from matplotlib.ticker import MaxNLocator
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    """A label cut at a word boundary so that it fits beside its bar."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _png(figure) -> bytes:
    """The figure as PNG bytes, closed afterwards so a long-running server never piles figures up."""
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    _pyplot().close(figure)
    return out.getvalue()


def notes_per_point(labels: list[str], counts: list[int], xlabel: str) -> bytes:
    """A horizontal bar per point of the plan, in the plan's order, with its number of notes."""
    return _notes_per_point(tuple(labels), tuple(counts), xlabel)


@lru_cache(maxsize=DRAWN)
def _notes_per_point(labels: tuple[str, ...], counts: tuple[int, ...], xlabel: str) -> bytes:
    """notes_per_point, drawn once for the same figures (a chart is a third of a report's time)."""
    counts = list(counts)
    figure, axes = _pyplot().subplots(figsize=(WIDTH, 0.32 * len(labels) + 1.0))
    positions = range(len(labels))
    bars = axes.barh(positions, counts, color="#7f7f7f", edgecolor="black", hatch="//")
    axes.bar_label(bars, padding=3, fontsize=9)
    axes.set_yticks(list(positions), [_short(label) for label in labels], fontsize=9)
    axes.invert_yaxis()
    axes.set_xlabel(xlabel, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(0, max(counts + [1]) * 1.15)
    _integer_ticks(axes)
    return _png(figure)


def status_per_unit(units: list[str], statuses: list[str], counts: list[list[int]], xlabel: str) -> bytes:
    """A stacked bar per unit, one segment per status (grey level and hatching), with a legend below."""
    return _status_per_unit(tuple(units), tuple(statuses), tuple(tuple(row) for row in counts), xlabel)


@lru_cache(maxsize=DRAWN)
def _status_per_unit(units: tuple[str, ...], statuses: tuple[str, ...], counts: tuple[tuple[int, ...], ...],
                     xlabel: str) -> bytes:
    """status_per_unit, drawn once for the same figures."""
    figure, axes = _pyplot().subplots(figsize=(WIDTH, 0.45 * len(units) + 1.6))
    left = [0] * len(units)
    positions = list(range(len(units)))
    for n, status in enumerate(statuses):
        widths = [row[n] for row in counts]
        if not any(widths):
            continue
        colour, hatch = STYLES[n % len(STYLES)]
        bars = axes.barh(positions, widths, left=left, color=colour, edgecolor="black", hatch=hatch, label=status)
        axes.bar_label(bars, labels=[str(w) if w else "" for w in widths], label_type="center", fontsize=8,
                       color="white" if colour == "#404040" else "black")
        left = [a + b for a, b in zip(left, widths)]
    axes.set_yticks(positions, [_short(u) for u in units], fontsize=9)
    axes.invert_yaxis()
    axes.set_xlabel(xlabel, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    _integer_ticks(axes)
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, fontsize=8, frameon=False)
    return _png(figure)

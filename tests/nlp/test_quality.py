"""Regression floor on the labelled development set nlp/data/dev.jsonl.

The mapper is never trained on this file; the floors sit a little below the measured figures
(see docs/nlp.md) so that a regression fails while noise does not.
"""
from nlp import evaluate_mapper

FLOOR = {"top1": 0.80, "top3": 0.95, "novel_rate": 0.75, "macro_f1": 0.75}


def test_quality_floor_on_dev_set(mapper, dev_rows):
    report = evaluate_mapper(mapper, [r["text"] for r in dev_rows], [int(r["point"]) for r in dev_rows])
    figures = {name: getattr(report, name) for name in FLOOR}
    assert all(figures[n] >= FLOOR[n] for n in FLOOR), figures
    assert report.false_novel_rate <= 0.15

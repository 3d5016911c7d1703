"""Point mapper quality per set and style: the figures of docs/nlp.md.

Run with ``python bench/eval_nlp.py``. The development set (nlp/data/dev.jsonl) was used for tuning;
the held-out set (nlp/data/heldout.jsonl) was frozen before tuning and is only measured.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SETS = (("dev", "nlp/data/dev.jsonl", ("hasty", "formal")), ("held-out", "nlp/data/heldout.jsonl", ("note", "real")))


def main() -> None:
    """Print top-1, top-3, novel recall and false-novel rate for each set and style."""
    from nlp import PointMapper, evaluate_mapper

    mapper = PointMapper(random_state=0).fit()
    print(f"{'set':<9} {'style':<7} {'items':>5} {'top-1':>6} {'top-3':>6} {'novel':>6} {'false novel':>11}")
    for name, path, styles in SETS:
        rows = [json.loads(line) for line in (ROOT / path).read_text(encoding="utf-8").splitlines() if line.strip()]
        for style in styles:
            part = [r for r in rows if r["style"] == style]
            e = evaluate_mapper(mapper, [r["text"] for r in part], [int(r["point"]) for r in part])
            print(f"{name:<9} {style:<7} {len(part):>5} {e.top1:>6.3f} {e.top3:>6.3f} {e.novel_rate:>6.3f} "
                  f"{e.false_novel_rate:>11.3f}")


if __name__ == "__main__":
    main()

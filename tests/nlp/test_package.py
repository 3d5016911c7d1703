"""Package hygiene: no Flask, public API, the framework file format."""
import subprocess
import sys
from pathlib import Path

import pytest

import nlp
from nlp import load_framework

ROOT = Path(__file__).resolve().parents[2]


def test_import_nlp_does_not_import_flask():
    code = "import sys, nlp; nlp.PointMapper; sys.exit('flask' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_public_api_is_exported():
    assert set(nlp.__all__) <= set(dir(nlp))
    assert {"PointMapper", "ThemeClusterer", "load_framework", "summarize_points"} <= set(nlp.__all__)


def test_default_framework_has_13_rich_points():
    framework = load_framework()
    assert framework.ids == list(range(1, 14))
    assert framework.point(9).title == "Medhandläggarskap"
    assert all(len(p.vocabulary) >= 30 and len(p.description) > 150 for p in framework.points)


def test_extended_framework_loads_from_file(tmp_path, extended_framework):
    import json

    path = tmp_path / "framework.json"
    path.write_text(json.dumps(extended_framework, ensure_ascii=False), encoding="utf-8")
    assert load_framework(path).ids[-2:] == [14, 15]


@pytest.mark.parametrize("data, message", [
    ({"points": []}, "non-empty"),
    ({"points": [{"label": "x"}]}, "integer"),
    ({"points": [{"id": 0, "label": "x"}]}, "positive"),
    ({"points": [{"id": 1, "label": "x"}, {"id": 1, "label": "y"}]}, "unique"),
])
def test_invalid_frameworks_are_rejected(data, message):
    with pytest.raises(ValueError, match=message):
        load_framework(data)

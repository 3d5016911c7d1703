"""The house rules hold: no import circle, small packages and modules, and the layers of pyproject.toml."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.architecture import house

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the tree at `root` with its pyproject.toml."""
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, timeout=300)


def test_the_numbers_hold():
    measured = house.measure()
    assert measured.breaches() == [], house.report(measured)


def test_a_circle_is_found_even_inside_a_function(tmp_path):
    for name, body in {"a.py": "from . import b\n", "b.py": "def f():\n    from . import a\n"}.items():
        (tmp_path / "pkg").mkdir(exist_ok=True)
        (tmp_path / "pkg" / name).write_text(body)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    graph = house.import_graph(house.source_files(tmp_path, packages=("pkg",)))
    assert house.circles(graph) == [["pkg.a", "pkg.b"]]


def test_the_layers_hold():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module, wrong_import", [
    ("cafe/models/base.py", "from cafe.host import views"),  # a model reaching up into a role area
    ("cafe/notes/capture.py", "from cafe.synthesis import passes"),  # the domain against its order
    ("cafe/host/views.py", "from cafe.facilitator import views"),  # one area into another
    ("nlp/language/text.py", "import flask"),  # nlp is a library of its own
])
def test_an_import_against_the_layers_fails_the_build(tmp_path, module, wrong_import):
    for part in ("cafe", "nlp"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__", "translations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text() + f"\n{wrong_import}  # noqa\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0 and "BROKEN" in result.stdout, result.stdout

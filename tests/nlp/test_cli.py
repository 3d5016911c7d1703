"""The command line on JSON lines, CSV and XLSX, including bad input."""
import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from nlp import cli

ROOT = Path(__file__).resolve().parents[2]
JSONL = '{"id": "a", "text": "ingen mentor för nyanställda"}\n{"id": "b", "text": "lönen är för låg"}\n'


@pytest.fixture(autouse=True)
def shared_mapper(monkeypatch, mapper):
    """Reuse the session mapper instead of fitting one per command."""
    real = cli._mapper
    monkeypatch.setattr(cli, "_mapper", lambda args: mapper if args.framework is None else real(args))


def run(capsys, *argv):
    """Run the command line in-process and return (exit code, stdout, stderr)."""
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_classify_jsonl(capsys, write_file):
    code, out, _ = run(capsys, "classify", "--input", str(write_file("n.jsonl", JSONL)))
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [x["id"] for x in lines] == ["a", "b"]
    assert lines[0]["points"][0]["point"] == 2 and not lines[0]["novel"]
    assert lines[1]["novel"] and len(lines[1]["points"]) == 13


def test_classify_reads_stdin(capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(JSONL.encode())))
    code, out, _ = run(capsys, "classify")
    assert code == 0 and len(out.splitlines()) == 2


@pytest.mark.parametrize("content, encoding", [
    ("id;text\n1;ingen mentor för nyanställda\n2;datorerna är långsamma\n", "cp1252"),
    ("id,Text\n1,ingen mentor för nyanställda\n2,datorerna är långsamma\n", "utf-8-sig"),
    ("text\tid\ningen mentor för nyanställda\t1\ndatorerna är långsamma\t2\n", "utf-8"),
])
def test_classify_csv_variants(capsys, write_file, content, encoding):
    code, out, _ = run(capsys, "classify", "--input", str(write_file("n.csv", content, encoding)))
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [x["points"][0]["point"] for x in lines] == [2, 13]


def test_classify_xlsx_with_named_column(capsys, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Nr", "Bord", "Anteckning"])
    book.active.append([7, 1, "handledningen ställs alltid in"])
    book.active.append([8, 2, None])
    book.save(tmp_path / "n.xlsx")
    code, out, _ = run(capsys, "classify", "--input", str(tmp_path / "n.xlsx"))
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(lines) == 1 and lines[0]["id"] == 7
    assert lines[0]["points"][0]["point"] == 8


def test_cluster_output_shape(capsys, write_file):
    notes = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(
        ["mentor för nyanställda", "nyanställda behöver mentor", "lönen är låg", "tyst rum saknas"]))
    code, out, _ = run(capsys, "cluster", "--input", str(write_file("n.jsonl", notes)))
    result = json.loads(out)
    assert code == 0 and set(result) == {"themes", "unassigned"}
    theme = result["themes"][0]
    assert set(theme) == {"id", "title", "quote", "representatives", "label", "keywords", "note_ids",
                          "point", "confidence", "novel"}
    assert sorted(theme["note_ids"]) == [0, 1] and theme["point"] == 2
    assert theme["title"] == "Mentor för nyanställda"
    assert theme["quote"] in [{"id": 0, "text": "mentor för nyanställda"},
                              {"id": 1, "text": "nyanställda behöver mentor"}]
    assert sorted(result["unassigned"]) == [2, 3]


def test_cluster_text_output_shows_title_and_quote(capsys, write_file):
    notes = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(
        ["mentor för nyanställda", "nyanställda behöver mentor", "lönen är låg"]))
    code, out, _ = run(capsys, "cluster", "--format", "text", "--input", str(write_file("n.jsonl", notes)))
    lines = out.splitlines()
    assert code == 0 and lines[0] == "Mentor för nyanställda (2 anteckningar, punkt 2)"
    assert lines[1].strip() in ('"mentor för nyanställda"', '"nyanställda behöver mentor"')
    assert lines[-1] == "1 anteckningar utan tema"


def test_evaluate_prints_figures(capsys, write_file):
    rows = [("mentor för nyanställda", 2), ("lönen är låg", 0), ("trasiga datorer", 13)]
    text = "".join(json.dumps({"text": t, "point": p}, ensure_ascii=False) + "\n" for t, p in rows)
    code, out, _ = run(capsys, "evaluate", "--labeled", str(write_file("l.jsonl", text)))
    assert code == 0
    for word in ("top-1", "top-3", "macro-F1", "novel", "confusion"):
        assert word in out


@pytest.mark.parametrize("name, content, message", [
    ("empty.jsonl", "", "empty"),
    ("blank.csv", "\n\n", "empty"),
    ("nocol.csv", "id;kommentarer_x\n1;hej\n", "no text column"),
    ("bad.jsonl", "{not json}\n", "line 1"),
    ("list.jsonl", "[1, 2]\n", "text"),
    ("huge.jsonl", json.dumps({"text": "ord " * 30000}) + "\n", "characters"),
    ("huge.csv", "text\n" + "x" * 200_000 + "\n", "characters"),
    ("fake.xlsx", "this is not a workbook", "XLSX"),
    ("nopoint.jsonl", '{"text": "hej"}\n', "point"),
])
def test_bad_input_gives_one_clear_line(capsys, write_file, name, content, message):
    command = ["evaluate", "--labeled"] if name.startswith("nopoint") else ["classify", "--input"]
    code, out, err = run(capsys, *command, str(write_file(name, content)))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err and len(err.strip().splitlines()) == 1


def test_missing_file_and_bad_framework(capsys, write_file):
    code, _, err = run(capsys, "classify", "--input", "/nonexistent/notes.jsonl")
    assert code == 2 and "not found" in err
    path = write_file("n.jsonl", JSONL)
    code, _, err = run(capsys, "classify", "--input", str(path), "--framework", str(write_file("f.json", "{}")))
    assert code == 2 and "points" in err


@pytest.mark.parametrize("content", ["", "id;anteckningar_saknas\n1;x\n"])
def test_real_process_exits_nonzero_without_traceback(write_file, content):
    path = write_file("bad.csv", content, "cp1252")
    done = subprocess.run([sys.executable, "-m", "nlp", "classify", "--input", str(path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ")


def test_real_process_classifies(write_file):
    done = subprocess.run([sys.executable, "-m", "nlp", "classify", "--input", str(write_file("n.jsonl", JSONL))],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and json.loads(done.stdout.splitlines()[0])["id"] == "a"

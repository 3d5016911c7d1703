"""Shared fixtures for the nlp tests: fitted mappers are expensive, so build them once."""
import json
from pathlib import Path

import pytest

from nlp import PointMapper, load_framework

DEV = Path(__file__).resolve().parents[2] / "nlp" / "data" / "dev.jsonl"

EXTRA_POINTS = [
    {"id": 14, "label": "Hot och våld", "title": "Skydd mot hot och våld mot medarbetare",
     "description": "Medarbetare som hotas eller utsätts för våld av klienter eller anhöriga. "
                    "Rutiner vid hot, polisanmälan, säkerhet vid hembesök och stöd efter incidenter.",
     "vocabulary": ["hot", "hotad", "hotade", "hotfull", "hotelse", "våld", "våldsam", "trakasserier",
                    "hot mot personal", "polisanmälan", "skyddade personuppgifter", "säkerhetsrutin",
                    "incident", "aggressiv besökare", "utsatt för våld", "rädd på jobbet"]},
    {"id": 15, "label": "Jämställdhet", "title": "Jämställdhet och lika villkor",
     "description": "Lika villkor för kvinnor och män i lön, karriär och arbetsvillkor.",
     "vocabulary": ["jämställdhet", "jämställd", "kvinnor och män", "lika villkor", "kön",
                    "kvinnodominerat", "genus", "diskriminering", "mångfald"]},
]


@pytest.fixture(scope="session")
def mapper():
    """The default zero-shot mapper."""
    return PointMapper(random_state=0).fit()


@pytest.fixture(scope="session")
def extended_framework():
    """The action plan with points 14 and 15 added, as an installation would do."""
    data = load_framework().to_dict()
    data["points"] += EXTRA_POINTS
    return data


@pytest.fixture(scope="session")
def extended_mapper(extended_framework):
    """A mapper on the extended framework."""
    return PointMapper(framework=extended_framework, random_state=0).fit()


@pytest.fixture(scope="session")
def dev_rows():
    """The labelled development set; tests using it are skipped only if it is absent."""
    if not DEV.exists():
        pytest.skip("nlp/data/dev.jsonl is not present")
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def write_file(tmp_path):
    """Factory writing bytes or text to a file in a temporary directory."""
    def write(name, content, encoding="utf-8"):
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding=encoding)
        return path
    return write

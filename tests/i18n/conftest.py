"""The English catalog as the app loads it, and test clients that chose English."""
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from cafe.extensions import babel

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "cafe" / "translations"
POT = TRANSLATIONS / "messages.pot"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path = PO):
    """The catalog at `path`, parsed by Babel."""
    with path.open("rb") as handle:
        return read_po(handle, locale="en" if path.suffix == ".po" else None)


@pytest.fixture(scope="session", autouse=True)
def compiled_catalog():
    """Compile the .po as `make translations` does when the .mo is missing or older, so pages use it."""
    mo = PO.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < PO.stat().st_mtime:
        with mo.open("wb") as handle:
            write_mo(handle, read_catalog(), use_fuzzy=True)
        domain = vars(babel).get("domain_instance")  # set once a page was translated in this process
        if domain is not None:
            domain.cache.clear()
    return mo


@pytest.fixture
def english():
    """Switch a Flask test client to English the way the header button does, and return it."""
    def switch(client):
        response = client.post("/lang/en", data={"next": "/"})
        assert response.status_code == 302
        return client
    return switch

"""The README's screenshots (`make screenshots`): the demo café in its last round, photographed with Chromium.

Starts a server on a fresh SQLite demo, lets its synthesis run, then takes the table host's page (a
phone), the facilitator's console and the projector's theme cards at 1280x720 into docs/screenshots/,
and the page of the held café's report to the committee that opens section 3 (its PDF, drawn by
poppler's pdftoppm: `make pango` installs it).
"""
import argparse
import io
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_fixtures import CHROMIUM, CHROMIUM_ARGS, login  # noqa: E402
from tests.server_fixtures import LiveServer  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}


def _host(browser, demo: dict, out: Path) -> None:
    """A table host's page on a phone, after joining with the table's link."""
    page = browser.new_context(locale="sv-SE", viewport=PHONE, device_scale_factor=1).new_page()
    page.goto(demo["tables"][0]["url"])
    page.wait_for_selector("#note-text", timeout=30000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "host.png"))


def _console(browser, demo: dict, out: Path) -> None:
    """The console's theme cards, one of them opened to its notes."""
    page = browser.new_context(locale="sv-SE", viewport=SIZE).new_page()
    login(page, demo["login_url"].rsplit("/login", 1)[0], demo["facilitator"]["email"], demo["facilitator"]["password"])
    page.goto(demo["facilitator_url"])
    page.wait_for_selector('#synthesis-state[data-state="up_to_date"]', timeout=120000)
    page.wait_for_selector("#theme-list .theme-card .theme-quote p")
    page.evaluate("() => window.scrollTo(0, document.getElementById('theme-list').offsetTop - 60)")
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / "console.png"))


def _projector(browser, demo: dict, out: Path) -> None:
    """The projector's theme cards."""
    page = browser.new_context(locale="sv-SE", viewport=SIZE).new_page()
    page.goto(demo["projector_url"])
    page.wait_for_selector('#connection[data-state="online"]')
    page.wait_for_function("() => document.body.dataset.slide === 'themes'")
    page.wait_for_selector("#theme-tiles .tile .tile-quote:not(:empty)")
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "projector.png"))


def _report(server, demo: dict, out: Path, folder: str) -> None:
    """The held café's report as a PDF, and its page with the chart of notes per point as a PNG."""
    from pypdf import PdfReader
    pdf = Path(folder) / "report.pdf"
    server.flask("report", str(demo["held"]["event_id"]), "--format", "pdf", "--output", str(pdf))
    pages = PdfReader(io.BytesIO(pdf.read_bytes())).pages
    number = next(n for n, page in enumerate(pages, start=1) if "3. Vad medarbetarna" in page.extract_text())
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", "-f", str(number), "-l", str(number), str(pdf),
                    str(out / "report")], check=True)


def main(argv=None) -> list[Path]:
    """Take the screenshots; return their paths."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(f"sqlite:///{folder}/demo.sqlite3")
        demo = server.held_cafe_under_way(server.prepare())
        demo = {**demo, "login_url": server.url + "/login"}
        server.start()
        try:
            started = time.monotonic()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                _projector(browser, demo, args.out)
                _console(browser, demo, args.out)
                _host(browser, demo, args.out)
                browser.close()
            _report(server, demo, args.out, folder)  # after the console saw the synthesis up to date
        finally:
            server.stop()
    paths = [args.out / name for name in ("host.png", "console.png", "projector.png", "report.png")]
    for path in paths:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size // 1024} kB")
    print(f"screenshots taken in {time.monotonic() - started:.1f} s")
    return paths


if __name__ == "__main__":
    main()

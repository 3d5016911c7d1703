"""Browser fixtures for every test package (one Chromium per run): Debian's Chromium driven by Playwright,
and an axe-core check."""
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser):
    """A fresh browser profile (cookies, localStorage) for one test."""
    context = browser.new_context(locale="sv-SE")
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page that fails the test on any uncaught script error."""
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page for WCAG 2.1 A and AA; return the violations."""
    if not AXE.exists():
        pytest.fail("static/vendor/axe.min.js is missing: run `make vendor`")
    from playwright.sync_api import Error as PlaywrightError
    for attempt in range(3):  # a click that navigates may still be loading the next page
        page.wait_for_load_state("load")
        origin = "/".join(page.url.split("/")[:3])
        try:
            page.add_script_tag(url=origin + "/static/vendor/axe.min.js")  # same origin, so the CSP allows it
            break
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(200)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    return result


@pytest.fixture
def assert_accessible():
    """Assert that axe-core finds no WCAG 2.1 AA violations on a page."""
    def check(page):
        violations = axe_violations(page)
        assert violations == [], "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
                                           for v in violations)
    return check


def login(page, base_url: str, email: str, password: str) -> None:
    """Log in through the login form."""
    page.goto(base_url + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("main form [type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)

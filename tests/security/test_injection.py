"""Script injection: a corpus of payloads stored as notes, theme names, action titles, unit and host names,
a round question and import cells, then every page that shows them opened in Chromium. No script may
run, with the Content-Security-Policy on (defence in depth) and with it bypassed (escaping alone).
Pages of areas that do not exist are skipped; they join as soon as their endpoint does."""
import uuid

import pytest

from cafe import create_app
from cafe.extensions import db
from tests.browser.conftest import login
from tests.server_fixtures import LiveServer  # noqa: F401  (the type of live_cafe)

MARK = "window.__xss=1"
PAYLOADS = [
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f'"><svg onload={MARK}>',
    "'><iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
    f'<a href="javascript:{MARK}" id=xss-link>klick</a>',
    f"<details open ontoggle={MARK}>",
    f"</textarea></title><script>{MARK}</script>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={MARK}>",
    f"javascript:{MARK}//",
    f"{{{{7*7}}}} ${{{MARK}}} <style>@import 'x'</style>",
]
WATCH = """
window.__xss = 0;
window.__csp = [];
window.alert = window.confirm = window.prompt = function () { window.__xss = 'dialog'; };
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
});
"""
INJECTED = "img[src='x'], svg[onload], iframe[srcdoc], details[ontoggle], a[href^='javascript'], #xss-link"


def _app_on(server: LiveServer):
    """An app in this process on the live server's database, to store the payloads."""
    return create_app({"SQLALCHEMY_DATABASE_URI": server.env["DATABASE_URL"], "SECRET_KEY": "live-test-secret",
                       "PUBLIC_URL": server.url, "TESTING": True})


def _store_payloads(server: LiveServer) -> dict:
    """Put every payload where users can type text; return the links the pages need."""
    import cafe.models as models
    from cafe.notes import capture
    from cafe.people import audit
    app = _app_on(server)
    links = {}
    with app.app_context():
        event = db.session.get(models.Event, server.demo["event_id"])
        table = event.tables[0]
        for text in PAYLOADS:
            capture.add(table, {"client_id": str(uuid.uuid4()), "text": text})
        table.host_name = PAYLOADS[1]
        event.rounds[0].question = PAYLOADS[2]
        db.session.get(models.Unit, table.unit_id or event.administration.units[0].id).name = PAYLOADS[5][:190]
        event.title = PAYLOADS[3][:200]
        audit.record(PAYLOADS[0], "login.failed", PAYLOADS[1], {"email": PAYLOADS[2]})
        links.update(_other_areas(models, event))
        db.session.commit()
        links.update(event_id=event.id, join_code=table.join_code, admin_id=event.administration_id)
    return links


def _other_areas(models, event) -> dict:
    """Themes and action items with payloads, and the feedback link, when those areas exist."""
    links = {}
    if hasattr(models, "Theme"):
        for text in PAYLOADS[:4]:
            db.session.add(models.Theme(event_id=event.id, label=text[:120], keywords=[text], quotes=[text]))
    if hasattr(models, "ActionItem"):
        for text in PAYLOADS:
            action = models.ActionItem(event_id=event.id, title=text[:300], description=text, responsible=text[:200],
                                       status="beslutad", unit_id=event.administration.units[0].id)
            action.comments.append(models.ActionComment(text=text, author=text[:200]))
            db.session.add(action)
        db.session.flush()
        links["action_id"] = action.id
    try:
        from cafe.followup import actions
        links["feedback_token"] = actions.feedback_token(event)
    except (ImportError, AttributeError):
        pass
    try:
        from cafe.events import votes
        links["vote_secret"] = votes.open_vote(event, 3).secret
    except (ImportError, AttributeError):
        pass
    return links


@pytest.fixture(scope="module")
def injected(live_cafe):
    """The shared live server, its café now holding the payloads everywhere."""
    live_cafe.links = _store_payloads(live_cafe)
    live_cafe.endpoints = {r.endpoint for r in _app_on(live_cafe).url_map.iter_rules()}
    return live_cafe


# name, endpoint that must exist, path (from the links), who logs in (None: a public link)
PAGES = [
    ("host", "host.table", "/t/{join_code}", None),
    ("projector", "projector.show", None, None),
    ("console", "facilitator.console", "/facilitator/{event_id}", "facilitator"),
    ("dashboard", "organizer.dashboard", "/organizer/", "organizer"),
    ("planning", "organizer.event", "/organizer/events/{event_id}", "organizer"),
    ("action list", "actions.event_list", "/actions/events/{event_id}", "organizer"),
    ("action", "actions.edit", "/actions/{action_id}", "organizer"),
    ("action print", "actions.print_view", "/actions/events/{event_id}/print", "organizer"),
    ("feedback", "feedback.show", "/feedback/{feedback_token}", None),
    ("city", "city.show", "/city/", "organizer"),
    ("action drafts", "actions.build", "/actions/events/{event_id}/build", "organizer"),
    ("administration actions", "actions.admin_list", "/actions/administrations/{admin_id}", "organizer"),
    ("tables", "organizer.tables", "/organizer/events/{event_id}/tables", "organizer"),
    ("rounds", "organizer.rounds", "/organizer/events/{event_id}/rounds", "organizer"),
    ("units", "organizer.units", "/organizer/units", "organizer"),
    ("join cards", "organizer.cards", "/organizer/events/{event_id}/cards", "organizer"),
    ("vote", "vote.ballot", "/v/{vote_secret}", None),
    ("audit log", "security.audit_log", "/security/audit", "organizer"),
    ("privacy scan", "security.privacy_scan", "/security/privacy", "organizer"),
    ("delete café", "security.delete_event", "/security/events/{event_id}/delete", "organizer"),
]
# The payload must be visible as plain text on these, or the test proves nothing.
MUST_SHOW = {"host", "console", "action list"}


def _open(context, server, path, who):
    """Log in when needed, then open the page and let its sockets catch up."""
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    if who:
        creds = server.demo[who]
        login(page, server.url, creds["email"], creds["password"])
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)
    return page, dialogs


def _assert_inert(page, dialogs, csp: bool, name: str) -> None:
    """No payload ran, none became markup, and (with the CSP on) nothing on the page broke the policy."""
    assert page.evaluate("window.__xss") == 0, f"a payload ran on the {name} page"
    assert dialogs == [], f"a dialog opened on the {name} page: {dialogs}"
    assert page.query_selector(INJECTED) is None, f"a payload became markup on the {name} page"
    if csp:
        assert page.evaluate("window.__csp") == [], f"CSP violations on the {name} page"


def _wait_for_text(page, text: str, seconds: float = 10) -> None:
    """Wait until the text is visible (polled from here: the CSP forbids the eval a page-side wait uses)."""
    for _ in range(int(seconds * 5)):
        if page.evaluate("t => document.body.innerText.includes(t)", text):
            return
        page.wait_for_timeout(200)
    pytest.fail(f"{text!r} never appeared on {page.url}")


@pytest.fixture(params=[True, False], ids=["csp", "escaping-only"])
def context(request, browser):  # noqa: F811
    """A browser profile that watches for scripts; with the CSP enforced or bypassed."""
    context = browser.new_context(locale="sv-SE", bypass_csp=not request.param)
    context.add_init_script(WATCH)
    context.csp = request.param
    yield context
    context.close()


@pytest.mark.parametrize("name, endpoint, path, who", PAGES, ids=[p[0] for p in PAGES])
def test_no_payload_runs_on_any_page(injected, context, name, endpoint, path, who):
    if endpoint not in injected.endpoints:
        pytest.skip(f"{endpoint} does not exist yet")
    if path is None:
        path = injected.demo["projector_url"][len(injected.url):]
    try:
        path = path.format(**injected.links)
    except KeyError as missing:
        pytest.skip(f"no {missing} in this installation")
    page, dialogs = _open(context, injected, path, who)
    if name in MUST_SHOW:
        _wait_for_text(page, MARK)
    _assert_inert(page, dialogs, context.csp, name)


def test_import_cells_are_shown_as_text(injected, context, tmp_path):
    if "actions.import_notes" not in injected.endpoints:
        pytest.skip("the notes import does not exist yet")
    from openpyxl import Workbook
    book = Workbook()
    book.active.append(["text", "bord"])
    for payload in PAYLOADS:
        book.active.append([f"Från papper: {payload}", 2])
    sheet = tmp_path / "anteckningar.xlsx"
    book.save(sheet)
    page, dialogs = _open(context, injected, f"/actions/events/{injected.links['event_id']}/import-notes",
                          "organizer")
    page.set_input_files("#notes-file", str(sheet))
    page.click("main form [type=submit]")
    page.wait_for_load_state("networkidle")
    _wait_for_text(page, MARK)
    _assert_inert(page, dialogs, context.csp, "import preview")

"""Script injection: a corpus of payloads stored as notes, theme names, action titles, unit and host names,
a round question and import cells, then every page that shows them opened in Chromium. No script may
run, with the Content-Security-Policy on (defence in depth) and with it bypassed (escaping alone).
Pages of areas that do not exist are skipped; they join as soon as their endpoint does."""
import re
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


ACK = re.compile(r"^4([23])(?:/[^,\[]*,)?(\d+)\[")  # a Socket.IO event asking for an answer (42), an answer (43)


def _watch_traffic(page) -> dict:
    """Track the page's requests still in flight and its socket emits still waiting for their answer."""
    traffic = {"requests": set(), "asked": set(), "answered": set()}
    page.on("request", lambda request: traffic["requests"].add(request))
    page.on("requestfinished", lambda request: traffic["requests"].discard(request))
    page.on("requestfailed", lambda request: traffic["requests"].discard(request))

    def frames(socket):
        for event, seen in (("framesent", "asked"), ("framereceived", "answered")):
            socket.on(event, lambda payload, seen=seen: _note_ack(payload, traffic[seen]))
    page.on("websocket", frames)
    return traffic


def _note_ack(payload, seen: set) -> None:
    match = ACK.match(payload) if isinstance(payload, str) else None
    if match:
        seen.add(match.group(2))


def _settled(page, traffic: dict) -> bool:
    """Loaded, no request in flight, and a page with a live connection has it up and every emit answered
    (the catch-up that brings the notes, the presence list)."""
    if traffic["requests"]:
        return False
    connection = page.evaluate("(document.getElementById('connection') || {dataset: {}}).dataset.state")
    return connection is None or (connection == "online" and bool(traffic["asked"])
                                  and traffic["asked"] <= traffic["answered"])


def _settle(page, traffic: dict, seconds: float = 15) -> None:
    """Wait until the page has settled twice in a row 100 ms apart, then let it paint what came last."""
    page.wait_for_load_state("load")
    calm = 0
    for _ in range(int(seconds * 10)):
        calm = calm + 1 if _settled(page, traffic) else 0
        if calm == 2:
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail(f"{page.url} never settled: {len(traffic['requests'])} requests in flight, "
                    f"emits {sorted(traffic['asked'])} answered {sorted(traffic['answered'])}")
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


@pytest.fixture(scope="module")
def sessions(browser, injected):
    """The cookies of a login through the login page, made once per role for the module."""
    states = {}

    def state(who: str) -> dict:
        if who not in states:
            context = browser.new_context(locale="sv-SE")
            creds = injected.demo[who]
            login(context.new_page(), injected.url, creds["email"], creds["password"])
            states[who] = context.storage_state()
            context.close()
        return states[who]
    return state


def _open(context, server, path, who):
    """Open the page logged in when needed, and let its requests and sockets catch up."""
    context = context.logged_in(who)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    traffic = _watch_traffic(page)
    page.goto(server.url + path)
    _settle(page, traffic)
    page.traffic = traffic
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


class Profiles:
    """Browser profiles that watch for scripts, with the CSP enforced or bypassed, logged in as a role or not."""

    def __init__(self, browser, sessions, csp: bool):
        self.browser, self.sessions, self.csp = browser, sessions, csp
        self.made = []

    def logged_in(self, who: str | None):
        context = self.browser.new_context(locale="sv-SE", bypass_csp=not self.csp,
                                           storage_state=self.sessions(who) if who else None)
        context.add_init_script(WATCH)
        self.made.append(context)
        return context


@pytest.fixture(params=[True, False], ids=["csp", "escaping-only"])
def context(request, browser, sessions):  # noqa: F811
    """Profiles with the CSP enforced or bypassed."""
    profiles = Profiles(browser, sessions, request.param)
    yield profiles
    for made in profiles.made:
        made.close()


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
    with page.expect_navigation():
        page.click("main form [type=submit]")
    _settle(page, page.traffic)
    _wait_for_text(page, MARK)
    _assert_inert(page, dialogs, context.csp, "import preview")

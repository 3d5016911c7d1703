"""Schemathesis against the running server (gevent, real SQLite file, migrated and seeded like production),
every operation of /api/v1/openapi.json, as an organizer with a bearer token, with data that fits the
schema and data that does not: no server error, every status code and content type documented, every
body matching its schema, and data outside the schema refused with a 4xx (never stored)."""
import os

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks

from cafe.api.openapi import document
from tests.server_fixtures import serve_copy

# Domain rules the schema cannot express (a point must exist in the framework, a unit must be the
# administration's) answer 400 to schema-valid data; that is not a fault, so positive_data_acceptance is
# left out. Everything else Schemathesis checks a response for is in.
CHECKS = [schemathesis.checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance,
          checks.response_headers_conformance]
NEGATIVE_CHECKS = [*CHECKS, checks.negative_data_rejection]
OPERATIONS = sorted((path, method.upper()) for path, item in document()["paths"].items() for method in item)
# per operation and mode: the whole module stays around a minute on two cores; `make bench-fuzz` runs more
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 8))


@pytest.fixture(scope="module")
def api_server(tmp_path_factory, live_template):
    """One real server for the module on a copy of the demo café, with its ids and an organizer's token."""
    server = serve_copy(tmp_path_factory.mktemp("schemathesis"), live_template)
    demo = server.demo
    token = requests.post(server.url + "/api/v1/auth/token", json=demo["organizer"], timeout=10).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    event_id = demo["event_id"]
    tables = requests.get(f"{server.url}/api/v1/events/{event_id}/tables", headers=headers, timeout=10).json()
    table_id = tables["tables"][0]["id"]
    notes = requests.get(f"{server.url}/api/v1/tables/{table_id}/notes", headers=headers, timeout=10).json()
    themes = requests.get(f"{server.url}/api/v1/events/{event_id}/themes", headers=headers, timeout=10).json()
    server.ids = {"event_id": event_id, "table_id": table_id, "note_id": notes["notes"][0]["id"],
                  "theme_id": (themes["themes"] or [{"id": 1}])[0]["id"]}
    server.headers = headers
    # the first export starts the server's job process: warm it up so no example waits for that
    requests.get(f"{server.url}/api/v1/events/{event_id}/actions.csv", headers=headers, timeout=60)
    server.schema = schemathesis.openapi.from_url(server.url + "/api/v1/openapi.json")
    yield server
    server.stop()
    assert "Traceback" not in server.log_path.read_text(errors="replace"), server.log_path


def _is_id(value) -> bool:
    """True for a value the schema allows as an id: a negative case's wrong id is kept as generated."""
    return type(value) is int and 1 <= value < 2**31


def _run(server, path: str, method: str, mode: GenerationMode) -> None:
    """Call one operation with generated cases; about half of them on ids that exist."""
    operation = server.schema[path][method]
    failures = NEGATIVE_CHECKS if mode is GenerationMode.NEGATIVE else CHECKS

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy(generation_mode=mode), st.booleans())
    def call(case, real_ids):
        if real_ids and case.path_parameters and all(_is_id(v) for v in case.path_parameters.values()):
            case.path_parameters = {name: server.ids.get(name, value)
                                    for name, value in case.path_parameters.items()}
        if method == "DELETE":
            case.body = {"confirm": "inte titeln"}  # keep the demo café for the other operations
        case.call_and_validate(base_url=server.url, headers=server.headers, checks=failures, timeout=30)
    call()


@pytest.mark.parametrize("path, method", OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_schema_valid_calls_never_fail_and_match_the_schema(api_server, path, method):
    _run(api_server, path, method, GenerationMode.POSITIVE)


NEGATABLE = [(p, m) for p, m in OPERATIONS if m != "DELETE"]


@pytest.mark.parametrize("path, method", NEGATABLE, ids=[f"{m} {p}" for p, m in NEGATABLE])
def test_calls_outside_the_schema_are_refused_with_a_documented_4xx(api_server, path, method):
    _run(api_server, path, method, GenerationMode.NEGATIVE)


@pytest.mark.parametrize("body", [{"status": {}}, {"status": []}, {"status": 5}, {"status": "xx"},
                                  {"status": None}, {}, [], "live"])
def test_a_malformed_status_is_a_400_naming_the_field(api_server, body):
    url = f"{api_server.url}/api/v1/events/{api_server.ids['event_id']}/status"
    reply = requests.post(url, json=body, headers=api_server.headers, timeout=10)
    assert reply.status_code == 400, reply.text
    error = reply.json()["error"]
    assert isinstance(body, dict) is (error.get("details", {}).get("field") == "status"), error


def test_ids_that_do_not_exist_are_404(api_server):
    for path in ("/api/v1/events/2147483647", "/api/v1/tables/2147483647", "/api/v1/notes/2147483647",
                 "/api/v1/events/2147483647/themes/1"):
        reply = requests.get(api_server.url + path, headers=api_server.headers, timeout=10)
        assert reply.status_code == 404 and reply.json()["error"]["code"] == "not_found", (path, reply.text)


def test_sequences_of_calls_follow_the_links_between_operations(api_server):
    """Stateful: a café created by POST is read, changed, planned and voted on through the links of the
    OpenAPI document, with the same checks at every step."""
    machine = api_server.schema.as_state_machine()

    class Sequences(machine):
        def get_call_kwargs(self, case):
            return {"base_url": api_server.url, "headers": api_server.headers, "timeout": 30}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Sequences.run(settings=settings(max_examples=EXAMPLES, stateful_step_count=6, deadline=None, database=None,
                                    derandomize=True, suppress_health_check=list(HealthCheck)))

"""The live OpenAPI schema, fuzzed: no answer is a 5xx, and every answer matches the schema.

Every phase runs (examples, coverage, fuzzing: Schemathesis' defaults, kept on), then a stateful
run that chains operations through the links Schemathesis infers (a talk created, then its
agenda, speakers, takeaways...). Requests go in-process through the WSGI application with a
write token. SCHEMATHESIS_EXAMPLES sets the examples per operation (default 50; the issue's
bar); a quick local run may lower it."""

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, assume, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from clustertalks.talks.models import Talk
from clustertalks.wsgi import application

CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]


EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "50"))
STATEFUL_SCENARIOS = int(os.environ.get("SCHEMATHESIS_STATEFUL_SCENARIOS", str(max(EXAMPLES // 2, 5))))

# Loaded from the running application, as a client would (no database needed for it).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def content(db, full_talk, make_talk):
    full_talk(title="Skills for clusters")
    make_talk(title="Secret draft", status=Talk.Status.DRAFT)
    # Requests go through the real WSGI application, which would close the test's database
    # connection after each request; Django's own test client does the same as this.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_answers_match_the_schema(case, content, write_token):
    # A NUL byte in a query string is refused (JSON 400) by core's RejectNullBytesMiddleware
    # before the API sees it; tested on its own in test_api.py.
    assume(not any("\x00" in f"{key}{value}" for key, value in (case.query or {}).items()))
    # Write operations get a valid write token, so their bodies are really processed.
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {write_token}"}, checks=CHECKS
    )
    if response.status_code != 204:
        assert response.headers["content-type"][0].startswith("application/json")


class Workflow(schema.as_state_machine()):
    """Chains of calls (create a talk, then write to it and read it back), each answer checked."""

    token = ""

    def get_call_kwargs(self, case):
        return {"headers": {"Authorization": f"Bearer {self.token}"}}

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        case.validate_response(response, checks=CHECKS)


def test_api_workflows_match_the_schema(content, write_token):
    Workflow.token = write_token
    Workflow.run(settings=settings(
        max_examples=STATEFUL_SCENARIOS, stateful_step_count=6, deadline=None,
        suppress_health_check=list(HealthCheck), derandomize=True,
    ))

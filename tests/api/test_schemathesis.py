"""The live OpenAPI schema, fuzzed: no answer is a 5xx, and every answer matches the schema."""

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
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
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

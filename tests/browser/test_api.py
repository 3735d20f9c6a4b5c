"""The API reference page: accessible, usable by keyboard, and self-contained."""

import pytest

from .conftest import describe_violations, run_axe

pytestmark = pytest.mark.browser


@pytest.fixture
def docs_url(live_server, transactional_db):
    return live_server.url + "/api/v1/docs"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_api_docs_pass_axe(new_page, docs_url, scheme):
    page = new_page(color_scheme=scheme)
    other_hosts = []
    page.on("request", lambda request: other_hosts.append(request.url)
            if not request.url.startswith(docs_url.split("/api/")[0]) else None)
    response = page.goto(docs_url)
    assert response is not None and response.status == 200
    page.wait_for_load_state("load")
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    assert other_hosts == []


def test_api_docs_contents_work_by_keyboard(page, docs_url):
    page.goto(docs_url)
    link = page.locator("main").get_by_role("link", name="Organisers")
    link.focus()
    page.keyboard.press("Enter")
    assert page.url.endswith("#tag-organisers")
    assert page.locator("#tag-organisers").is_visible()


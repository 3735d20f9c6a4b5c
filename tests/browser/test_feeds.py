"""The embed page and the pages with subscribe links pass axe and work with a keyboard; the
embed page really shows inside a frame on another origin, other pages refuse to."""

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from .conftest import MOBILE, describe_violations, run_axe, save_screenshot

pytestmark = pytest.mark.browser

EMBED = "/embed/upcoming"


def check(page, url):
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("load")
    violations = run_axe(page)
    assert not violations, f"{url}\n" + describe_violations(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_embed_page_passes_axe(new_page, site, scheme):
    page = new_page(color_scheme=scheme)
    check(page, site.base + EMBED)
    assert page.locator(".embed__talk").count() >= 2
    save_screenshot(page, f"embed-{scheme}")


def test_embed_page_passes_axe_on_a_phone(new_page, site):
    page = new_page(viewport=MOBILE, is_mobile=True, has_touch=True)
    check(page, site.base + EMBED)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("name", ["home", "series", "topic"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_with_subscribe_links_pass_axe(new_page, site, name, scheme):
    page = new_page(color_scheme=scheme)
    check(page, site[name])
    section = page.locator("section.subscribe")
    assert section.count() == 1
    assert section.get_by_role("link", name="Subscribe in your calendar app").get_attribute(
        "href").startswith("webcal://")


def test_subscribe_links_are_reached_by_keyboard(page, site):
    page.goto(site["series"])
    subscribe = page.get_by_role("link", name="Subscribe in your calendar app")
    for _ in range(80):
        page.keyboard.press("Tab")
        if subscribe.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the subscribe link is never reached with Tab")
    outline = subscribe.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"


def test_embed_links_are_reached_by_keyboard_and_open_the_whole_window(page, site):
    page.goto(site.base + EMBED)
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.tagName, document.activeElement.target]")
    assert focused == ["A", "_top"]


@contextmanager
def host_site(html: str):
    """Another web site on this machine (a loopback port of its own) whose page frames ours."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(("path", "shown"), [(EMBED, True), ("/", False)])
def test_only_the_embed_page_shows_in_a_frame_on_another_site(page, site, path, shown):
    html = (f'<html lang="en"><title>Host</title><body><main><h1>Host</h1><iframe title="Talks" '
            f'src="{site.base}{path}" width="400" height="400"></iframe></main></body></html>')
    with host_site(html) as host_url:
        page.goto(host_url)
        frame = page.frame_locator("iframe")
        if shown:
            assert frame.locator("h1").inner_text(timeout=5000) == "Upcoming talks"
        else:
            page.wait_for_timeout(1000)
            assert frame.get_by_role("link", name="Home").count() == 0

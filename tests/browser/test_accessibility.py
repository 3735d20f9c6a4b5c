"""Every public page type passes axe-core's WCAG 2.1 A/AA rules, in light and dark mode and on
a phone, and works with a keyboard alone: a skip link first, and a visible focus everywhere."""

import pytest

from .conftest import MOBILE, PAGE_TYPES, describe_violations, run_axe, save_screenshot

pytestmark = pytest.mark.browser

# The pages whose colours differ most; dark mode gets its own contrast check on them.
DARK_PAGES = ["home", "talk_upcoming", "talk_past", "talk_cancelled", "talk_sample", "archive", "person"]
MOBILE_PAGES = [("home", "light"), ("talk_upcoming", "light"), ("talk_upcoming", "dark"), ("archive", "light")]


def open_and_check(page, url, *, status=200):
    response = page.goto(url)
    assert response is not None and response.status == status, f"{url} answered {response.status}"
    # site.js has run (it is deferred): the page is in its final, enhanced state.
    page.wait_for_load_state("load")
    violations = run_axe(page)
    assert not violations, f"{url}\n" + describe_violations(violations)


def expected_status(name):
    return 404 if name == "not_found" else 200


def test_axe_really_reports_violations(page):
    # Guards the harness itself: a page with known faults must not pass.
    page.set_content(
        '<html lang="en"><title>Bad</title><body><main><img src="x.png">'
        '<p style="color:#bbb;background:#fff">Faint</p><a href="/x"></a></main></body></html>'
    )
    found = {violation["id"] for violation in run_axe(page)}
    assert {"image-alt", "color-contrast", "link-name", "page-has-heading-one"} <= found, found
    assert "page-has-heading-one" not in {v["id"] for v in run_axe(page, structure=False)}


# A visitor outside Brussels, so the JavaScript-only "Your time" line is on the page too.
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_passes_axe_in_light_mode(new_page, site, name):
    page = new_page(timezone_id="America/New_York")
    open_and_check(page, site[name], status=expected_status(name))
    save_screenshot(page, f"{name}-desktop-light")


@pytest.mark.parametrize("name", DARK_PAGES)
def test_page_passes_axe_in_dark_mode(new_page, site, name):
    page = new_page(color_scheme="dark", timezone_id="America/New_York")
    open_and_check(page, site[name])
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    save_screenshot(page, f"{name}-desktop-dark")


@pytest.mark.parametrize("name, scheme", MOBILE_PAGES)
def test_page_passes_axe_on_a_phone(new_page, site, name, scheme):
    page = new_page(viewport=MOBILE, color_scheme=scheme, is_mobile=True, has_touch=True,
                    device_scale_factor=2, timezone_id="America/New_York")
    open_and_check(page, site[name])
    # Nothing sticks out sideways: no horizontal scrolling on a 390 px wide screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px on a phone"
    save_screenshot(page, f"{name}-mobile-{scheme}")


# Keyboard

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) { return null; }
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 60),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    boxShadow: style.boxShadow,
    visible: box.width > 0 && box.height > 0,
    focusVisible: el.matches(":focus-visible"),
  };
}"""


def test_skip_link_comes_first_shows_itself_and_moves_focus_to_main(page, site):
    page.goto(site["talk_upcoming"])
    skip = page.locator("a.skip-link")
    box = skip.bounding_box()
    assert box is None or box["y"] + box["height"] <= 0, "the skip link shows before it has focus"

    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.inner_text() == "Skip to main content"
    box = skip.bounding_box()
    viewport = page.viewport_size
    assert box is not None and box["width"] > 0 and box["height"] > 0
    assert 0 <= box["x"] and box["x"] + box["width"] <= viewport["width"]
    assert 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"]

    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


@pytest.mark.parametrize("name", ["talk_upcoming", "archive", "home"])
def test_every_tab_stop_has_a_visible_focus_indicator(page, site, name):
    page.goto(site[name])
    seen = []
    for _ in range(18):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused is not None, f"focus fell back to the page after {seen}"
        seen.append(f"{focused['tag']} {focused['text']!r}")
        has_outline = focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0
        has_shadow = focused["boxShadow"] not in ("", "none")
        assert has_outline or has_shadow, f"no visible focus on {seen[-1]}: {focused}"
        assert focused["visible"], f"focus went to an invisible element: {seen[-1]}"
    # The walk really went past the header into the page's own controls.
    assert len(set(seen)) > 10, seen


def test_archive_filters_work_with_the_keyboard_alone(page, site):
    page.goto(site["archive"])
    page.focus("#f-q")
    page.keyboard.type("visions")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "q=visions" in url)
    assert page.locator(".result-count").inner_text() == "1 talk"
    assert page.locator(".card__title a").all_inner_texts() == ["Results and visions"]

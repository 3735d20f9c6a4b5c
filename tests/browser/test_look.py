"""The look (issue 11): the series' identity, the home page, the type and layout system and the
phone layout, measured in Chromium at 390, 320 and 1280 px, in light and dark mode, with axe."""

import pytest

from .conftest import DESKTOP, MOBILE, describe_violations, run_axe, save_screenshot

pytestmark = pytest.mark.browser

PAGES = ["home", "talk_upcoming", "archive"]
NARROW = {"width": 320, "height": 640}

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
WIDER_THAN_VIEWPORT = """() => [...document.querySelectorAll('body *')]
  .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && (r.right > innerWidth + 1 || r.left < -1)
                  && !el.closest('.nav, .visually-hidden, .skip-link'); })
  .map(el => el.tagName.toLowerCase() + '.' + el.className).slice(0, 5)"""
CONTRAST = """([selector, pseudo]) => {
  const el = document.querySelector(selector);
  const parse = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const fg = lum(parse(getComputedStyle(el, pseudo).color));
  const bg = lum(parse(getComputedStyle(el).backgroundColor));
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
}"""


@pytest.fixture
def branded_site(site, settings, tmp_path):
    """The test site wearing the demo identity (EU blue and yellow, logo, hero image)."""
    from clustertalks.branding.demo import load_identity_demo
    from clustertalks.core.pagecache import bump_now
    from clustertalks.talks.models import Series

    settings.MEDIA_ROOT = tmp_path
    load_identity_demo(Series.objects.get(name="EU Clusters Talks"))
    bump_now()
    return site


def phone(new_page, scheme="light", viewport=MOBILE):
    return new_page(viewport=viewport, color_scheme=scheme, is_mobile=True, has_touch=True, device_scale_factor=2)


def check_axe(page, where):
    violations = run_axe(page)
    assert not violations, f"{where}\n" + describe_violations(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_at_390_and_1280_pass_axe_without_overflow(new_page, branded_site, scheme):
    for viewport in (MOBILE, DESKTOP):
        page = phone(new_page, scheme) if viewport is MOBILE else new_page(color_scheme=scheme)
        for name in PAGES:
            page.goto(branded_site[name])
            page.wait_for_load_state("load")
            where = f"{name} at {viewport['width']} px, {scheme}"
            check_axe(page, where)
            assert page.evaluate(OVERFLOW) <= 0, f"{where} scrolls sideways"
            assert page.evaluate("document.fonts.check('16px \"Source Sans 3\"')"), "the shipped typeface is not in use"
            save_screenshot(page, f"look-{name}-{viewport['width']}-{scheme}")


def test_header_is_a_small_part_of_a_phone_screen(new_page, branded_site):
    page = phone(new_page)
    for name in PAGES:
        page.goto(branded_site[name])
        page.wait_for_load_state("load")
        height = page.locator(".site-header").bounding_box()["height"]
        assert height <= 0.25 * MOBILE["height"], f"{name}: the header is {height:.0f} px tall"
        assert page.locator(".brand img.brand__logo").is_visible()
        assert page.locator("label[for=site-search-q]").is_visible()  # a visible label


def test_menu_button_opens_the_navigation_and_organisations_stays_on_one_line(new_page, branded_site):
    page = phone(new_page)
    page.goto(branded_site["home"])
    page.wait_for_load_state("load")
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-nav").is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    organisations = page.get_by_role("link", name="Organisations")
    assert organisations.is_visible()
    line = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.nav a')).lineHeight)"))
    assert organisations.bounding_box()["height"] < 44 + line / 2  # one line (two would be ~80 px)
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"

    desktop = new_page()
    desktop.goto(branded_site["home"])
    assert not desktop.locator(".menu-toggle").is_visible()
    link = desktop.get_by_role("link", name="Organisations")
    assert link.is_visible() and link.bounding_box()["height"] < 44 + line / 2  # one line
    assert desktop.locator(".site-header").bounding_box()["height"] <= 90


def test_register_is_above_the_fold_on_a_phone(new_page, branded_site):
    for scheme in ("light", "dark"):
        page = phone(new_page, scheme)
        page.goto(branded_site["talk_upcoming"])
        page.wait_for_load_state("load")
        register = page.locator(".registration-panel a.button")
        box = register.bounding_box()
        assert box and box["y"] + box["height"] <= MOBILE["height"], f"Register ends at {box and box['y'] + box['height']} px"
        save_screenshot(page, f"look-talk-fold-390-{scheme}")
    page.goto(branded_site["home"])
    hero_register = page.locator(".hero .button--cta")
    assert hero_register.count() == 1 and hero_register.inner_text().startswith("Register")


def test_archive_results_come_before_the_filters_on_a_phone(new_page, branded_site):
    page = phone(new_page)
    page.goto(branded_site["archive"])
    page.wait_for_load_state("load")
    assert not page.locator("#f-year").is_visible()  # folded
    first = page.locator(".cards .card").first.bounding_box()
    assert first["y"] < MOBILE["height"] * 0.6
    page.get_by_text("Filter", exact=True).click()
    assert page.locator("#f-year").is_visible()

    desktop = new_page()
    desktop.goto(branded_site["archive"])
    desktop.wait_for_load_state("load")
    assert desktop.locator("#f-year").is_visible()  # open on wide screens


def test_nothing_overflows_at_320_px(new_page, branded_site):
    page = phone(new_page, viewport=NARROW)
    for name in PAGES:
        page.goto(branded_site[name])
        page.wait_for_load_state("load")
        assert page.evaluate(OVERFLOW) <= 0, f"{name} scrolls sideways at 320 px"
        assert page.evaluate(WIDER_THAN_VIEWPORT) == [], name
        button = page.locator(".site-search button").bounding_box()
        assert button["x"] + button["width"] <= NARROW["width"], "the search button is off screen"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_placeholder_reaches_4_5_to_1(new_page, branded_site, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(branded_site["home"])
    ratio = page.evaluate(CONTRAST, ["#site-search-q", "::placeholder"])
    assert ratio >= 4.5, f"placeholder contrast {ratio:.2f}:1 in {scheme} mode"


def test_cards_tell_states_apart_without_colour(new_page, branded_site):
    page = new_page()
    page.goto(branded_site["archive"])
    states = page.eval_on_selector_all(".card .state", "els => els.map(e => e.textContent.trim())")
    assert {"Upcoming", "Held", "Cancelled"} <= set(states), states
    styles = page.evaluate("""() => Object.fromEntries(['upcoming', 'held', 'cancelled'].map(s => {
        const card = document.querySelector('.card--' + s); const st = getComputedStyle(card);
        return [s, st.borderTopStyle + ' ' + st.backgroundColor + ' ' + st.borderTopColor]; }))""")
    assert len(set(styles.values())) == 3, styles
    assert page.evaluate("getComputedStyle(document.querySelector('.card--upcoming .card__title a')).textDecorationLine") == "none"


def test_talk_page_prints_as_a_handout(new_page, branded_site):
    page = new_page()
    page.goto(branded_site["talk_upcoming"])
    page.emulate_media(media="print")
    for hidden in (".site-header__tools", ".site-footer", ".registration-panel", ".share .button-row"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("h1").is_visible() and page.locator(".facts").is_visible()

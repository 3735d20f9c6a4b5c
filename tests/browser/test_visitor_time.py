"""The talk time in the series' zone always, and (with JavaScript) in the visitor's own zone."""

import re

import pytest

pytestmark = pytest.mark.browser

SERIES_TIME = "Wednesday 5 October 2022, 08:30–09:30 CEST"


def when_text(page):
    return " ".join(page.locator("main .facts time.when").inner_text().split())


def test_a_visitor_in_new_york_also_sees_the_time_in_new_york(new_page, site):
    # The past talk starts on 2022-10-05 at 06:30 UTC: 08:30 in Brussels, 02:30 in New York.
    page = new_page(timezone_id="America/New_York", locale="en-GB")
    page.goto(site["talk_past"])

    visitor = page.locator("main .facts .visitor-time")
    visitor.wait_for(state="visible")
    text = visitor.inner_text()
    assert text.startswith("Your time: ")
    # The date as Intl writes it for the page's language ("en"): "Wednesday, October 5, 2022".
    assert "Wednesday" in text and "October" in text and re.search(r"\b5\b", text), text
    assert re.search(r"02:30\s*–\s*03:30", text), text
    # Chromium's Intl names the zone "EDT" for lang="en"; other ICU data says "GMT-4".
    assert re.search(r"\b(EDT|GMT-4|UTC-4)\b", text), text
    assert when_text(page) == SERIES_TIME
    assert page.locator("main .facts abbr").get_attribute("title") == "Europe/Brussels"


def test_the_visitor_time_follows_the_visitors_zone_and_date(new_page, site):
    # In Tokyo the same talk is in the afternoon, and on a 12-hour locale still shown in 24 hours.
    page = new_page(timezone_id="Asia/Tokyo", locale="en-US")
    page.goto(site["talk_past"])
    visitor = page.locator("main .facts .visitor-time")
    visitor.wait_for(state="visible")
    assert re.search(r"15:30\s*–\s*16:30", visitor.inner_text()), visitor.inner_text()
    assert when_text(page) == SERIES_TIME


def test_a_visitor_in_brussels_sees_only_the_series_time(new_page, site):
    page = new_page(timezone_id="Europe/Brussels", locale="en-GB")
    page.goto(site["talk_past"])
    page.wait_for_load_state("load")

    assert when_text(page) == SERIES_TIME
    visitor = page.locator("main .facts .visitor-time")
    assert visitor.count() == 1
    assert visitor.is_hidden()
    assert visitor.inner_text() == ""


def test_without_javascript_the_page_shows_the_series_time_and_nothing_broken(new_page, site):
    page = new_page(timezone_id="America/New_York", java_script_enabled=False)
    page.goto(site["talk_past"])

    assert when_text(page) == SERIES_TIME
    assert page.locator("main .facts .visitor-time").is_hidden()
    assert "Your time" not in page.locator("main").inner_text()
    # The copy button needs JavaScript: without it, it must not be offered at all.
    assert page.get_by_role("button", name="Copy link").count() == 0
    assert "Link to this page:" in page.locator("main").inner_text()


def test_cards_on_the_home_page_get_the_visitor_time_too(new_page, site):
    page = new_page(timezone_id="America/New_York")
    page.goto(site["home"])
    visitor = page.locator(".hero .visitor-time")
    visitor.wait_for(state="visible")
    assert visitor.inner_text().startswith("Your time: ")

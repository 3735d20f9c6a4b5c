"""axe-core on the statistics pages (light, dark, phone) and the newsletter pages."""

import pytest
from django.urls import reverse

from .conftest import MOBILE, save_screenshot
from .test_accessibility import open_and_check

pytestmark = pytest.mark.browser


@pytest.fixture
def recap_urls(site):
    from clustertalks.newsletter.models import Subscriber
    from clustertalks.talks.models import Series

    series = Series.objects.get()
    subscriber = Subscriber.objects.create(email="ada@example.org", status="confirmed")
    return {
        "series_statistics": reverse("insights:series_statistics", args=[series.slug]),
        "statistics": reverse("insights:statistics") + "?from=2020-01-01",
        "signup": reverse("newsletter:signup"),
        "preferences": reverse("newsletter:preferences", args=[subscriber.token]),
        "unsubscribe": reverse("newsletter:unsubscribe", args=[subscriber.token]),
        "archive": reverse("newsletter:archive"),
    }


@pytest.mark.parametrize("name", ["series_statistics", "statistics", "signup", "preferences",
                                  "unsubscribe", "archive"])
def test_recap_pages_pass_axe(new_page, site, recap_urls, name):
    page = new_page()
    open_and_check(page, site.base + recap_urls[name])
    save_screenshot(page, f"{name}-desktop-light")


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_statistics_page_passes_axe_in_dark_mode_and_on_a_phone(new_page, site, recap_urls, scheme):
    page = new_page(color_scheme=scheme, viewport=MOBILE, is_mobile=True)
    open_and_check(page, site.base + recap_urls["series_statistics"])
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the statistics page scrolls sideways by {overflow}px"
    # chart text follows the theme: light text on a dark page
    fill = page.evaluate("getComputedStyle(document.querySelector('.chart text')).fill")
    assert fill != "rgb(27, 31, 36)" if scheme == "dark" else fill == "rgb(27, 31, 36)"
    save_screenshot(page, f"series_statistics-mobile-{scheme}")


def test_the_footer_signup_works_with_the_keyboard(new_page, site):
    page = new_page()
    page.goto(site["home"])
    page.get_by_label("Email", exact=True).fill("kb@example.org")
    page.get_by_label("Email", exact=True).press("Enter")
    page.wait_for_url("**/newsletter/thanks/")
    assert "Check your inbox" in page.content()

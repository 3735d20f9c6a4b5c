"""The attendee's pages pass axe (WCAG 2.1 A/AA) and work with a keyboard alone: the form (empty
and with errors), what happens next, the manage page and the join link's waiting page."""

import pytest
from django.urls import reverse

from .conftest import describe_violations, run_axe

pytestmark = pytest.mark.browser


def check(page, url, status=200):
    response = page.goto(url)
    assert response is not None and response.status == status, url
    page.wait_for_load_state("load")
    violations = run_axe(page)
    assert not violations, f"{url}\n" + describe_violations(violations)


def test_register_by_keyboard_then_every_page_passes_axe(page, site):
    from django.core.cache import cache

    from clustertalks.registrations import services
    from clustertalks.registrations.models import Registration

    cache.clear()
    talk = site.talks["upcoming"]
    form_url = site.base + reverse("registrations:register", args=[talk.slug])
    check(page, form_url)

    # Submitting empty shows the errors, still accessible.
    with page.expect_navigation():
        page.get_by_role("button", name="Register").press("Enter")
    page.wait_for_load_state("load")
    assert page.locator(".errorlist").count() >= 5
    violations = run_axe(page)
    assert not violations, describe_violations(violations)

    # Fill in with the keyboard only.
    page.get_by_label("Full name").focus()
    page.keyboard.type("Ada \"Bob\" O'Neil & Co")
    page.keyboard.press("Tab")
    page.keyboard.type("ada@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Manager")
    page.keyboard.press("Tab")
    page.keyboard.type("Analytical Cluster")
    page.get_by_label("Type of organisation").select_option("cluster")
    page.get_by_label("Country").select_option("BE")
    page.get_by_label("I agree to the processing of these data").focus()
    page.keyboard.press("Space")
    assert not page.get_by_label("Send me the newsletter of the series (optional)").is_checked()
    page.get_by_role("button", name="Register").focus()
    with page.expect_navigation(url="**/register/next/"):
        page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    assert "What happens next" in page.content()
    violations = run_axe(page)
    assert not violations, describe_violations(violations)

    registration = Registration.objects.get(email="ada@example.org")
    assert registration.name == "Ada \"Bob\" O'Neil & Co"
    check(page, site.base + reverse("registrations:manage",
                                    args=[services.manage_token(registration)]))
    assert "Ada \"Bob\" O'Neil & Co" in page.inner_text("main")
    check(page, site.base + reverse("registrations:join", args=[registration.token]))
    assert "opens at" in page.inner_text("main")
    check(page, site.base + reverse("registrations:manage", args=["forged"]), status=404)

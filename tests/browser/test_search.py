"""The search page in a real browser: axe-clean (light, dark, no results), usable with the
keyboard alone from the header of any page, and working without JavaScript."""

import pytest
from django.utils import timezone

from .conftest import describe_violations, run_axe, save_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def searchable(site):
    """The browser site, with published materials on the past talk."""
    from clustertalks.materials.models import Recording, Takeaway, TalkSummary, Transcript, TranscriptCue

    talk = site.talks["past"]
    TalkSummary.objects.create(talk=talk, text="A summary about skills.", materials_published_at=timezone.now())
    Takeaway.objects.create(talk=talk, kind="policy", text="Skills partnerships need <b>regional</b> roots.")
    recording = Recording.objects.create(talk=talk, source="youtube", url="https://youtu.be/x")
    transcript = Transcript.objects.create(recording=recording, source_format="vtt")
    TranscriptCue.objects.create(transcript=transcript, position=1, start_ms=754_000, end_ms=758_000,
                                 text="Skills academies train cluster managers.")
    return site


def assert_axe_clean(page, url):
    response = page.goto(url)
    assert response is not None and response.status == 200
    page.wait_for_load_state("load")
    violations = run_axe(page)
    assert not violations, f"{url}\n" + describe_violations(violations)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_page_passes_axe(new_page, searchable, scheme):
    page = new_page(color_scheme=scheme)
    assert_axe_clean(page, searchable.base + "/search/?q=skills")
    assert page.locator(".search-result").count() >= 4
    assert page.locator(".search-result mark").count() >= 1
    save_screenshot(page, f"search-{scheme}")


def test_empty_and_no_result_pages_pass_axe(page, searchable):
    assert_axe_clean(page, searchable.base + "/search/")
    assert_axe_clean(page, searchable.base + "/search/?q=zeppelin&topic=skills")
    assert "Check the spelling" in page.locator("main").inner_text()


def test_search_from_the_header_by_keyboard_reaches_the_transcript_moment(page, searchable):
    page.goto(searchable["home"])
    for _ in range(15):  # skip link, brand, navigation, then the search box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    page.keyboard.type("academies")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=academies")
    link = page.locator(".search-result--passage h2 a").first
    href = link.get_attribute("href")  # the moment on the recording's page, where the transcript is
    assert href.startswith(f"{searchable.talks['past'].get_absolute_url()}recording/") and "?t=754#cue-" in href
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href}")
    cue = href.split("#")[1]
    assert "transcript__line--current" in page.locator(f"#{cue}").get_attribute("class")


def test_filters_work_without_javascript(new_page, searchable):
    page = new_page(java_script_enabled=False)
    page.goto(searchable.base + "/search/?q=skills")
    page.select_option("#s-kind", "takeaway")
    page.click(".search-form button[type=submit]")
    page.wait_for_url("**kind=takeaway**")
    results = page.locator(".search-result")
    assert results.count() == 1
    assert "<b>" not in results.first.inner_html().replace("&lt;b&gt;", "")

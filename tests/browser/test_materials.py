"""The materials of a held talk in a real browser: axe finds nothing, nothing is loaded from
another host before the visitor clicks, and the facade and the transcript work by keyboard."""

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from .conftest import describe_violations, run_axe, save_screenshot

pytestmark = pytest.mark.browser
STUB = "<!doctype html><html lang='en'><title>Stub player</title><p>stub</p></html>"


@pytest.fixture
def materials_site(site, settings, tmp_path):
    from clustertalks.materials import services
    from clustertalks.materials.models import (
        Attachment,
        Recording,
        Takeaway,
        TalkSummary,
    )
    from clustertalks.materials.pdfmaker import build_text_pdf
    from clustertalks.materials.tasks import read_pdf, store_extraction
    from clustertalks.people.models import Person

    settings.MEDIA_ROOT = tmp_path
    talk = site.talks["past"]
    youtube = Recording.objects.create(talk=talk, source="youtube", url="https://www.youtube.com/watch?v=SAMPLEabcde")
    cues = tuple(services.Cue(n * 4000, n * 4000 + 3500, f"We talked about skills, part {n}.",
                              "Anna Kovács" if n % 2 else "") for n in range(12))
    services.replace_transcript(youtube, services.ParsedTranscript("vtt", cues))
    upload = Recording.objects.create(talk=talk, order=1, title="Questions", source="upload")
    upload.video.save("talk.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64))
    services.replace_transcript(upload, services.ParsedTranscript("vtt", cues[:3]))
    data = build_text_pdf([("Skills in clusters", ["A slide"]), ("Next steps", ["Another slide"])])
    slides = Attachment(talk=talk, title="Keynote slides", size_bytes=len(data),
                        speaker=Person.objects.get(name="Anna Kovács"))
    slides.file.save("slides.pdf", ContentFile(data), save=False)
    slides.save()
    store_extraction(slides, *read_pdf(data))
    for order, kind in enumerate(["challenge", "solution", "funding", "next_step"]):
        Takeaway.objects.create(talk=talk, order=order, kind=kind, text=f"A {kind} takeaway",
                                person=slides.speaker, topic=talk.topics.first())
    TalkSummary.objects.create(talk=talk, text="A **short** summary.", materials_published_at=timezone.now())
    site.urls["recording"] = reverse("materials:recording", args=[talk.slug, youtube.pk])
    return site


def foreign_requests(page, base):
    own = urlsplit(base).netloc
    seen = []
    page.on("request", lambda request: seen.append(request.url)
            if urlsplit(request.url).netloc not in (own, "") and not request.url.startswith("data:") else None)
    return seen


def stub_players(page):
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body=STUB, content_type="text/html"))


def check_axe(page, name):
    page.wait_for_load_state("load")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
    save_screenshot(page, name)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_talk_page_with_materials_passes_axe_and_loads_nothing_foreign(new_page, materials_site, scheme):
    page = new_page(color_scheme=scheme)
    foreign = foreign_requests(page, materials_site.base)

    page.goto(materials_site["talk_past"])

    check_axe(page, f"materials-talk-{scheme}")
    assert page.locator("button.player__facade").count() == 1
    assert page.locator("video track[kind=captions]").count() == 1
    assert foreign == []


def test_recording_page_passes_axe(page, materials_site):
    page.goto(materials_site["recording"])

    check_axe(page, "materials-recording")


def tab_to(page, selector, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def test_facade_loads_the_privacy_player_only_on_the_visitors_keypress(page, materials_site):
    stub_players(page)
    foreign = foreign_requests(page, materials_site.base)
    page.goto(materials_site["talk_past"])
    page.wait_for_load_state("load")

    tab_to(page, "button.player__facade")
    assert "loads content from youtube.com" in page.evaluate("document.activeElement.textContent")
    assert foreign == []
    page.keyboard.press("Enter")

    frame = page.locator("iframe.player__frame")
    frame.wait_for()
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/SAMPLEabcde?autoplay=1")
    assert frame.get_attribute("title")
    assert all(urlsplit(url).netloc == "www.youtube-nocookie.com" for url in foreign)


def test_transcript_lines_are_operable_by_keyboard(page, materials_site):
    stub_players(page)
    page.goto(materials_site["recording"])
    page.wait_for_load_state("load")

    tab_to(page, ".transcript__time[data-start='8']")
    page.keyboard.press("Enter")

    assert page.evaluate("document.activeElement.matches('button.player__facade')")
    assert "Play from 0:08" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.locator("iframe.player__frame").wait_for()
    assert "start=8" in page.locator("iframe.player__frame").get_attribute("src")


def test_transcript_search_filters_lines(page, materials_site):
    page.goto(materials_site["recording"])
    page.wait_for_load_state("load")

    page.get_by_label("Search the transcript").fill("part 11")

    assert page.locator(".transcript__lines li:visible").count() == 1
    assert page.locator("[data-transcript-status]").text_content() == "1 matching line"


def test_without_javascript_the_facade_is_a_plain_link(new_page, materials_site):
    page = new_page(java_script_enabled=False)
    page.goto(materials_site["talk_past"])

    link = page.locator("a.player__facade")
    assert link.get_attribute("href") == "https://www.youtube.com/watch?v=SAMPLEabcde"
    assert page.locator("iframe").count() == 0

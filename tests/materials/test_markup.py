"""The materials block and the player written in Python (materials/markup.py) give, byte for byte,
what the templates they replaced gave: those templates are kept here as the reference
(reference_templates/materials/, the takeaway items as the template loop that the
{% takeaway_items %} tag had replaced), and both are rendered for materials of every kind in
several languages."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from clustertalks.captions.models import PlayerInfo
from clustertalks.materials import markup, selectors
from clustertalks.materials.models import Attachment, Recording
from clustertalks.materials.services import Cue, ParsedTranscript, replace_transcript
from clustertalks.materials.templatetags.materials_tags import _in_page_language

REFERENCE = Engine(dirs=[str(Path(__file__).parent / "reference_templates")], app_dirs=True,
                   libraries=get_installed_libraries())


@pytest.fixture
def rich_talk(full_talk, add_materials, make_person):
    """YouTube recordings and PDFs (add_materials), plus an uploaded video with poster, captions,
    chapters and tracks, a Vimeo facade, a plain link, an address no player takes, and PDFs
    without thumbnail, page count or speaker."""
    talk = add_materials(full_talk(title='Talk <&> "quoted"'), recordings=2, attachments=2, takeaways=7)
    video = Recording(talk=talk, order=5, source="upload", duration_seconds=900, language="fr")
    video.video.save("talk.mp4", ContentFile(b"x"), save=False)
    video.poster.save("poster.jpg", ContentFile(b"x"), save=False)
    video.save()
    replace_transcript(video, ParsedTranscript("vtt", (Cue(0, 900, "Bonjour <&>", "Ann"), Cue(1000, 2000, "Deux"))))
    PlayerInfo.objects.create(recording=video, chapters=[[0, "Intro <b>"], [60000, "More"]],
                              tracks=[["de", ""], ["es", "Español <auto>"]], machine_made_on=datetime(2024, 5, 6, tzinfo=UTC))
    Recording.objects.create(talk=talk, order=6, source="upload", title='Part "2" <&>')
    vimeo = Recording(talk=talk, order=7, source="vimeo", url="https://vimeo.com/123456789", title="Vimeo")
    vimeo.poster.save("vimeo.jpg", ContentFile(b"x"), save=False)
    vimeo.save()
    Recording.objects.create(talk=talk, order=8, source="other", url="https://example.org/watch?id=5&x=<y>")
    Recording.objects.create(talk=talk, order=9, source="other", url="ftp://example.org/no-player")
    for n, (size, pages) in enumerate([(0, None), (999, 1), (3_000_000, 37)]):
        pdf = Attachment(talk=talk, order=10 + n, kind=["document", "summary", "slides"][n], title=f"Deck <{n}>",
                         size_bytes=size, page_count=pages, speaker=make_person(name="Zoë <Z>") if n == 1 else None)
        pdf.file.save(f"deck-{n}.pdf", ContentFile(b"%PDF-"), save=False)
        pdf.save()
    return talk


def reference_block(materials, talk) -> str:
    values = {"materials": materials, "talk": talk, **_in_page_language(talk, materials)}
    return REFERENCE.get_template("materials/talk_materials.html").render(Context(values))


@pytest.mark.parametrize("language", ["en", "fr", "de", "pl"])
def test_the_materials_block_is_what_the_templates_wrote(rich_talk, language):
    with translation.override(language):
        materials = selectors.talk_materials(rich_talk)
        assert len(materials.recordings) == 7 and len(materials.attachments) == 5
        selectors.dress_recording(materials.recordings[2], with_cues=False, start_seconds=75)  # a ?t= link
        selectors.dress_recording(materials.recordings[4], with_cues=False, start_seconds=5)
        expected = reference_block(materials, rich_talk)
        values = _in_page_language(rich_talk, materials)
        assert markup.materials_block(materials, rich_talk, **values) == expected


def test_a_preview_and_a_block_without_recordings(rich_talk, full_talk, add_materials):
    materials = selectors.talk_materials(rich_talk)
    materials.is_preview, materials.recordings = True, []
    assert markup.materials_block(materials, rich_talk, **_in_page_language(rich_talk, materials)) == reference_block(
        materials, rich_talk)


@pytest.mark.parametrize("start", [0, 61])
def test_the_player_on_the_recording_page_is_what_the_template_wrote(rich_talk, start):
    for recording in selectors.recordings_of(rich_talk):
        selectors.dress_recording(recording, start_seconds=start)
        context = Context({"recording": recording, "talk": rich_talk})
        assert markup.player(recording, rich_talk) == REFERENCE.get_template("materials/_player.html").render(context)
    assert markup.player_script() == REFERENCE.get_template("materials/_scripts.html").render(Context())


def test_a_recording_route_is_what_reverse_gives(db):
    for language in ("en", "fr"):
        with translation.override(language):
            for name in ("materials:recording", "materials:captions"):
                assert markup.recording_route(name, "a-talk_2", 17) == reverse(name, args=["a-talk_2", 17])
    with pytest.raises(NoReverseMatch):  # not a slug: refused as reverse() refuses it
        markup.recording_route("materials:recording", "café", 7)

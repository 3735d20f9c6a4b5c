"""Hooks of the captions room in the recording player: chapters, caption tracks in other
languages, and the 'machine-made, reviewed on' note. No queries: the recording comes with its
PlayerInfo row joined (captions.selectors.RECORDING_JOIN)."""

from dataclasses import dataclass

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language_info

from clustertalks.core.links import absolute_url
from clustertalks.feeds.structured import json_ld_script
from clustertalks.materials.services import clock

register = template.Library()


@dataclass(frozen=True)
class ChapterView:
    start_ms: int
    title: str

    @property
    def start_seconds(self) -> int:
        return self.start_ms // 1000

    @property
    def clock(self) -> str:
        return clock(self.start_ms)


def player_info(recording):
    try:
        return recording.captions_info
    except ObjectDoesNotExist:
        return None


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


@register.simple_tag(takes_context=True)
def recording_extras(context, recording, talk):
    """Chapters list (seeking the player) and the note on a machine-made transcript."""
    info = player_info(recording)
    if info is None:
        return ""
    chapters = [ChapterView(start, title) for start, title in info.chapters]
    machine_made = info.machine_made_on if getattr(recording, "has_captions", False) else None
    if not chapters and not machine_made:
        return ""
    return render_to_string("captions/_recording_extras.html", {
        "recording": recording, "talk": talk, "chapters": chapters, "machine_made_on": machine_made,
        "json_ld": json_ld_script(video_json_ld(recording, talk, chapters)) if chapters else "",
    }, request=context.get("request"))


def video_json_ld(recording, talk, chapters) -> dict:
    """schema.org VideoObject whose `hasPart` clips are the chapters (search engines show them
    as key moments)."""
    page = absolute_url(reverse("materials:recording", args=[talk.slug, recording.pk]))
    clips = []
    for index, chapter in enumerate(chapters):
        following = chapters[index + 1].start_seconds if index + 1 < len(chapters) else None
        end = following or recording.duration_seconds
        clip = {"@type": "Clip", "name": chapter.title, "startOffset": chapter.start_seconds,
                "url": f"{page}?t={chapter.start_seconds}"}
        if end and end > chapter.start_seconds:
            clip["endOffset"] = end
        clips.append(clip)
    data = {
        "@context": "https://schema.org", "@type": "VideoObject",
        "name": recording.title or talk.title, "description": talk.title,
        "uploadDate": recording.created_at.isoformat(),
        "thumbnailUrl": absolute_url(recording.poster.url) if recording.poster
        else absolute_url(reverse("feeds:share_png", args=[talk.slug])),
        "url": page, "recordedAt": {"@id": absolute_url(talk.get_absolute_url()) + "#event"},
        "hasPart": clips,
    }
    if recording.video:
        data["contentUrl"] = absolute_url(recording.video.url)
    if recording.duration_seconds:
        data["duration"] = f"PT{recording.duration_seconds}S"
    return data


@register.simple_tag
def caption_tracks(recording, talk):
    """<track> elements for the chapters and the captions in other languages."""
    info = player_info(recording)
    if info is None:
        return ""
    tracks = [{"language": language, "label": label or language_name(language)}
              for language, label in info.tracks]
    return render_to_string("captions/_tracks.html", {
        "recording": recording, "talk": talk, "tracks": tracks, "has_chapters": bool(info.chapters)})

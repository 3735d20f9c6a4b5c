"""Public pages of the materials room: a recording with its transcript, and its captions."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from clustertalks.core.caching import public_page

from . import selectors, services


def recording_or_404(request, slug, pk):
    recording = selectors.visible_recording(slug, pk, request.user)
    if recording is None:
        raise Http404
    return recording


@public_page
def recording_detail(request, slug, pk):
    recording = recording_or_404(request, slug, pk)
    seconds, _which = selectors.moment_param(request.GET)
    if seconds:  # a deep link to a moment: the player starts there, with or without JavaScript
        selectors.dress_recording(recording, start_seconds=seconds)
    return render(
        request,
        "materials/recording_detail.html",
        {"recording": recording, "talk": recording.talk, "open_transcript": True},
    )


@public_page
def captions(request, slug, pk):
    """The transcript as WebVTT, for the <track> of the video and for download."""
    recording = recording_or_404(request, slug, pk)
    if not recording.cues:
        raise Http404
    response = HttpResponse(services.to_webvtt(recording.cues), content_type="text/vtt; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{recording.talk.slug}-{recording.pk}.vtt"'
    return response

"""Public files of the captions room: a recording's chapters and its other-language captions, as
WebVTT for the player's <track> elements. Visible exactly when the recording is."""

from django.http import Http404, HttpResponse

from clustertalks.core.caching import public_page
from clustertalks.materials.views import recording_or_404

from . import services
from .models import CaptionTrack


def vtt_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/vtt; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_page
def chapters(request, slug, pk):
    recording = recording_or_404(request, slug, pk)
    found = list(recording.chapters.all())
    if not found:
        raise Http404
    duration = recording.duration_seconds * 1000 if recording.duration_seconds else None
    return vtt_response(services.chapters_webvtt(found, duration), f"{slug}-{pk}-chapters.vtt")


@public_page
def track(request, slug, pk, language):
    recording = recording_or_404(request, slug, pk)
    found = CaptionTrack.objects.filter(recording=recording, language=language).first()
    if found is None:
        raise Http404
    return vtt_response(found.webvtt, f"{slug}-{pk}-{language}.vtt")

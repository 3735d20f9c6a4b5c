"""Transcribe new uploads by themselves (TRANSCRIBE_ON_UPLOAD), when the engine is installed."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from clustertalks.materials.models import Recording


@receiver(post_save, sender=Recording, dispatch_uid="captions-transcribe-uploads")
def transcribe_new_upload(sender, instance: Recording, created: bool, raw=False, **kwargs):
    if raw or not instance.video or not getattr(settings, "TRANSCRIBE_ON_UPLOAD", True):
        return
    if instance.transcription_jobs.exists() or has_transcript(instance):
        return  # asked before, or captions were uploaded by hand
    from . import engine, services

    if engine.is_available():
        services.request_transcription(instance)


def has_transcript(recording: Recording) -> bool:
    from clustertalks.materials.models import Transcript

    return Transcript.objects.filter(recording=recording).exists()


def refresh_player(sender, instance, raw=False, **kwargs):
    """A chapter or a caption track changed: the player's row follows."""
    if raw:
        return
    from . import services

    services.refresh_player_info(instance.recording_id)


def connect_player_refresh() -> None:
    from .models import CaptionTrack, Chapter

    for model in (Chapter, CaptionTrack):
        post_save.connect(refresh_player, sender=model, dispatch_uid=f"captions-{model.__name__}-save")
        post_delete.connect(refresh_player, sender=model, dispatch_uid=f"captions-{model.__name__}-del")


connect_player_refresh()

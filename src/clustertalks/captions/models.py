"""Automatic captions: transcription jobs and their draft cues, chapters on a recording's
timeline, keyword suggestions, and caption tracks in other languages.

A machine-made transcript stays in `DraftCue` rows until an organiser publishes it; only then is
it copied into the materials room's `Transcript`, which is what pages, feeds, the API and search
read. So no reader has to know that drafts exist, and a draft can never leak.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clustertalks.materials.models import Recording


class TranscriptionJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the transcriber")
        RUNNING = "running", _("Transcribing")
        DONE = "done", _("Draft ready for review")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        PUBLISHED = "published", _("Published")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    recording = models.ForeignKey(
        "materials.Recording", verbose_name=_("recording"), on_delete=models.CASCADE,
        related_name="transcription_jobs",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.QUEUED, db_index=True)
    language = models.CharField(
        _("spoken language"), max_length=8, blank=True,
        help_text=_("Leave empty to let the transcriber detect it."),
    )
    detected_language = models.CharField(_("detected language"), max_length=8, blank=True)
    model_name = models.CharField(_("model"), max_length=40, blank=True)
    duration_seconds = models.FloatField(_("length of the recording (s)"), null=True, blank=True)
    done_seconds = models.FloatField(_("transcribed so far (s)"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    lease_until = models.DateTimeField(
        _("claimed until"), null=True, blank=True,
        help_text=_("A worker renews this while it transcribes; past it, another may resume."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed and published by"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("automatic transcript")
        verbose_name_plural = _("automatic transcripts")
        constraints = [
            models.UniqueConstraint(
                fields=["recording"], condition=Q(status__in=["queued", "running"]),
                name="one_active_transcription_per_recording",
            )
        ]

    def __str__(self) -> str:
        return str(self.recording)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int:
        if not self.duration_seconds:
            return 0
        return min(100, int(100 * self.done_seconds / self.duration_seconds))

    @property
    def spoken_language(self) -> str:
        return self.language or self.detected_language


class DraftCue(models.Model):
    job = models.ForeignKey(TranscriptionJob, on_delete=models.CASCADE, related_name="cues")
    position = models.PositiveIntegerField(_("position"))
    start_ms = models.PositiveIntegerField(_("start (ms)"))
    end_ms = models.PositiveIntegerField(_("end (ms)"))
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    text = models.TextField(_("text"), max_length=2000)

    class Meta:
        ordering = ["position"]
        verbose_name = _("draft line")
        verbose_name_plural = _("draft lines")
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="one_draft_cue_per_position")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Chapter(models.Model):
    """A named part of a recording (welcome, keynote, panel...), placed on its timeline."""

    recording = models.ForeignKey(
        "materials.Recording", on_delete=models.CASCADE, related_name="chapters"
    )
    agenda_item = models.ForeignKey(
        "talks.AgendaItem", verbose_name=_("agenda item"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    title = models.CharField(_("title"), max_length=250)
    start_ms = models.PositiveIntegerField(_("starts at (ms into the recording)"))

    class Meta:
        ordering = ["start_ms", "pk"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")

    def __str__(self) -> str:
        return self.title

    @property
    def start_seconds(self) -> int:
        return self.start_ms // 1000

    @property
    def clock(self) -> str:
        from clustertalks.materials.services import clock

        return clock(self.start_ms)


class KeywordSuggestion(models.Model):
    class State(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        ACCEPTED = "accepted", _("Added as a topic")
        IGNORED = "ignored", _("Ignored")

    job = models.ForeignKey(TranscriptionJob, on_delete=models.CASCADE, related_name="keywords")
    keyword = models.CharField(_("keyword"), max_length=100)
    score = models.FloatField(_("score"), help_text=_("Lower is more relevant (YAKE)."))
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.SUGGESTED)

    class Meta:
        ordering = ["score"]
        verbose_name = _("keyword suggestion")
        verbose_name_plural = _("keyword suggestions")
        constraints = [
            models.UniqueConstraint(fields=["job", "keyword"], name="one_suggestion_per_keyword")
        ]

    def __str__(self) -> str:
        return self.keyword


class CaptionTrack(models.Model):
    """Captions in another language, uploaded by an organiser (WebVTT or SRT), kept as WebVTT."""

    recording = models.ForeignKey(
        "materials.Recording", on_delete=models.CASCADE, related_name="caption_tracks"
    )
    language = models.CharField(_("language"), max_length=8,
                                help_text=_("A language code such as fr, de or pl."))
    label = models.CharField(_("label"), max_length=60, blank=True,
                             help_text=_("Shown in the player's menu; the language's name if empty."))
    webvtt = models.TextField(_("captions (WebVTT)"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("caption track in another language")
        verbose_name_plural = _("caption tracks in other languages")
        constraints = [
            models.UniqueConstraint(fields=["recording", "language"], name="one_track_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.recording} ({self.language})"


class RecordingCaptions(Recording):
    """A recording seen from the captions screen of the back office (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("captions and chapters of a recording")
        verbose_name_plural = _("captions and chapters")


class PlayerInfo(models.Model):
    """What the player shows of this room, kept in one row per recording so that the talk page
    gets it with the recording itself (a join, no query of its own). Rebuilt from the chapters,
    the caption tracks and the published transcription whenever one of them changes
    (services.refresh_player_info)."""

    recording = models.OneToOneField("materials.Recording", on_delete=models.CASCADE,
                                     related_name="captions_info")
    chapters = models.JSONField(default=list, help_text=_("[[start_ms, title], ...]"))
    tracks = models.JSONField(default=list, help_text=_("[[language, label], ...]"))
    machine_made_on = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.recording)

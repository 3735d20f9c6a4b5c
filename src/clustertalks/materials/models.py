"""What a talk leaves behind: recordings (with transcripts), slides and documents, a summary
and key takeaways."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from clustertalks.talks.models import Talk


class Recording(models.Model):
    class Source(models.TextChoices):
        YOUTUBE = "youtube", _("YouTube")
        VIMEO = "vimeo", _("Vimeo")
        EC_AUDIOVISUAL = "ec", _("EC audiovisual service")
        FILE_URL = "file_url", _("Video file address (MP4 or HLS)")
        OTHER_URL = "other", _("Other web page")
        UPLOAD = "upload", _("Uploaded video file")

    talk = models.ForeignKey("talks.Talk", on_delete=models.CASCADE, related_name="recordings")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=200, blank=True, help_text=_("Optional, e.g. 'Part 2'."))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    url = models.URLField(_("address"), max_length=500, blank=True)
    video = models.FileField(_("video file"), upload_to="recordings/", blank=True)
    poster = models.ImageField(
        _("thumbnail"), upload_to="recordings/posters/", blank=True,
        help_text=_("Shown before the visitor chooses to load an external player."),
    )
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    def __str__(self) -> str:
        return self.title or str(self.talk)


class Transcript(models.Model):
    """Timed text of a recording, kept as cues so a sentence can be found and linked."""

    class Format(models.TextChoices):
        WEBVTT = "vtt", "WebVTT"
        SRT = "srt", "SubRip (SRT)"

    recording = models.OneToOneField(Recording, on_delete=models.CASCADE, related_name="transcript")
    language = models.CharField(_("language"), max_length=8, default="en")
    source_format = models.CharField(_("uploaded format"), max_length=4, choices=Format.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")

    def __str__(self) -> str:
        return f"{self.recording} ({self.language})"


class TranscriptCue(models.Model):
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="cues")
    position = models.PositiveIntegerField(_("position"))
    start_ms = models.PositiveIntegerField(_("start (ms)"))
    end_ms = models.PositiveIntegerField(_("end (ms)"))
    speaker = models.CharField(_("speaker"), max_length=200, blank=True)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["position"]
        verbose_name = _("transcript cue")
        verbose_name_plural = _("transcript cues")
        constraints = [
            models.UniqueConstraint(fields=["transcript", "position"], name="one_cue_per_position")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Attachment(models.Model):
    """Slides or another document (PDF), with its text extracted page by page for search."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        DOCUMENT = "document", _("Document")
        SUMMARY = "summary", _("Summary document")

    class Processing(models.TextChoices):
        PENDING = "pending", _("Waiting for text extraction")
        DONE = "done", _("Text extracted")
        FAILED = "failed", _("Extraction failed")

    talk = models.ForeignKey("talks.Talk", on_delete=models.CASCADE, related_name="attachments")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SLIDES)
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to="attachments/")
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    thumbnail = models.ImageField(_("first page"), upload_to="attachments/thumbnails/", blank=True)
    speaker = models.ForeignKey(
        "people.Person", verbose_name=_("speaker"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="attachments",
    )
    processing = models.CharField(
        _("processing"), max_length=10, choices=Processing.choices, default=Processing.PENDING
    )
    processing_error = models.CharField(_("processing error"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("slides or document")
        verbose_name_plural = _("slides and documents")

    def __str__(self) -> str:
        return self.title


class AttachmentPage(models.Model):
    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page number"))
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["attachment", "number"], name="one_text_per_page")
        ]

    def __str__(self) -> str:
        return f"{self.attachment} p. {self.number}"


class TalkSummary(models.Model):
    """The organisers' written summary, and when the talk's materials were published."""

    talk = models.OneToOneField("talks.Talk", on_delete=models.CASCADE, related_name="summary")
    text = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    materials_published_at = models.DateTimeField(
        _("materials published"), null=True, blank=True,
        help_text=_("Set by the 'publish materials' action, which also notifies registrants."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("summary")
        verbose_name_plural = _("summaries")

    def __str__(self) -> str:
        return str(self.talk)


class Takeaway(models.Model):
    class Kind(models.TextChoices):
        CHALLENGE = "challenge", _("Challenge")
        SOLUTION = "solution", _("Solution")
        GOOD_PRACTICE = "good_practice", _("Good practice")
        POLICY = "policy", _("Policy")
        FUNDING = "funding", _("Funding opportunity")
        NEXT_STEP = "next_step", _("Next step")

    talk = models.ForeignKey("talks.Talk", on_delete=models.CASCADE, related_name="takeaways")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    text = models.TextField(_("takeaway"), max_length=2000)
    topic = models.ForeignKey(
        "talks.Topic", verbose_name=_("topic"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="takeaways",
    )
    person = models.ForeignKey(
        "people.Person", verbose_name=_("from speaker"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="takeaways",
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("key takeaway")
        verbose_name_plural = _("key takeaways")

    def __str__(self) -> str:
        return self.text[:80]


class TalkMaterials(Talk):
    """The talk seen from the 'after the talk' screen of the back office (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = _("after the talk")
        verbose_name_plural = _("after the talk")

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clustertalks.core import events
from clustertalks.core.languages import EU_LANGUAGES
from clustertalks.core.links import slug_url
from clustertalks.core.timezones import default_zone_name, in_zone, zone_abbreviation, zone_choices
from clustertalks.people.models import SluggedModel


# Each language named in itself: the list is the same whatever the back office's language.
LANGUAGE_CHOICES = [(code, name) for code, name, _locale in EU_LANGUAGES]


class NamedTerm(SluggedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(NamedTerm):
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))

    class Meta(NamedTerm.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def get_absolute_url(self) -> str:
        return slug_url("talks:topic", self.slug)


class EventType(NamedTerm):
    class Meta(NamedTerm.Meta):
        verbose_name = _("event type")
        verbose_name_plural = _("event types")


class Audience(NamedTerm):
    class Meta(NamedTerm.Meta):
        verbose_name = _("target audience")
        verbose_name_plural = _("target audiences")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Series(SluggedModel):
    name = models.CharField(_("name"), max_length=200)
    tagline = models.CharField(_("tagline"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    boilerplate = models.TextField(
        _("boilerplate"),
        blank=True,
        help_text=_("Markdown paragraph shown at the end of every talk page of the series."),
    )
    organiser = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organised_series",
    )
    on_behalf_of = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commissioned_series",
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=zone_choices, default=default_zone_name
    )
    cadence_weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, default=Weekday.WEDNESDAY
    )
    cadence_start_time = models.TimeField(_("start time"), default=dt.time(8, 30))
    cadence_interval_weeks = models.PositiveSmallIntegerField(
        _("every how many weeks"), default=2
    )
    default_duration_minutes = models.PositiveSmallIntegerField(
        _("default duration (minutes)"), default=60
    )
    colour = models.CharField(
        _("colour"), max_length=7, default="#004494", help_text=_("Hex colour, e.g. #004494.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("talks:series", self.slug)

    # The page language's translation, prefetched by talks.translations (else the original).
    @property
    def page_translation(self):
        found = getattr(self, "page_translations", None)
        return found[0] if found else None

    def _shown(self, field: str) -> tuple[str, str]:
        translation = self.page_translation
        if translation and getattr(translation, field):
            return getattr(translation, field), translation.language
        return getattr(self, field), ""

    @property
    def shown_name(self) -> str:
        return self._shown("name")[0]

    @property
    def shown_tagline(self) -> str:
        return self._shown("tagline")[0]

    @property
    def shown_description(self) -> str:
        return self._shown("description")[0]

    @property
    def shown_boilerplate(self) -> str:
        return self._shown("boilerplate")[0]

    def clean(self):
        if self.cadence_interval_weeks == 0:
            raise ValidationError({"cadence_interval_weeks": _("Use at least 1 week.")})


class TalkQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=Talk.Status.DRAFT)

    def upcoming(self, now=None):
        return self.filter(end__gte=now or timezone.now()).order_by("start")

    def past(self, now=None):
        now = now or timezone.now()
        # start < now follows from end < now; said outright, it lets the database walk the
        # start index backwards and stop at the first few rows instead of sorting every past
        # talk (the home page's latest three: 16 ms -> 0.5 ms on SQLite at 10,000 talks).
        return self.filter(start__lt=now, end__lt=now).order_by("-start")


class Talk(SluggedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class AttendanceMode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid (online and in person)")

    series = models.ForeignKey(
        Series,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talks",
    )
    title = models.CharField(_("title"), max_length=250)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"), db_index=True)
    event_type = models.ForeignKey(
        EventType,
        verbose_name=_("event type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talks",
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("target audiences"), blank=True, related_name="talks"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="talks")
    attendance_mode = models.CharField(
        _("attendance mode"),
        max_length=12,
        choices=AttendanceMode.choices,
        default=AttendanceMode.ONLINE,
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    language = models.CharField(
        _("spoken language"), max_length=8, default="en", choices=LANGUAGE_CHOICES,
        help_text=_("The language the talk is given in; also the language of its title and abstract."),
    )
    abstract = models.TextField(_("abstract"), blank=True, help_text=_("Markdown."))
    banner = models.ImageField(_("banner image"), upload_to="banners/", blank=True)
    banner_alt = models.CharField(_("banner description"), max_length=250, blank=True)
    livestream_url = models.URLField(
        _("public live-stream address"), blank=True, help_text=_("Shown to every visitor.")
    )
    meeting_url = models.URLField(
        _("private meeting address"),
        blank=True,
        help_text=_("Zoom, Teams, Webex... Never shown on public pages."),
    )
    status_note = models.CharField(
        _("status note"),
        max_length=300,
        blank=True,
        help_text=_("Shown with a postponed or cancelled status, e.g. the reason or the new date."),
    )
    is_sample = models.BooleanField(
        _("generated sample"), default=False, help_text=_("Made up by the demo data generator.")
    )
    sequence = models.PositiveIntegerField(
        _("calendar sequence"),
        default=0,
        editable=False,
        help_text=_("Raised whenever the time, place or status changes, so calendars update."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TalkQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        # Every public filter walks an index in date order (docs/performance.md, tested by
        # tests/core/test_query_plans.py at 10,000 talks): the archive (status read from the
        # index, so page 50 skips 980 entries without reading their rows), a series, a type.
        indexes = [
            models.Index(fields=["start", "status"], name="talk_start_status_idx"),
            models.Index(fields=["series", "start"], name="talk_series_start_idx"),
            models.Index(fields=["event_type", "start"], name="talk_type_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="talk_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("talks:talk", self.slug)

    CALENDAR_FIELDS = ("start", "end", "status", "venue", "city", "attendance_mode", "title")

    def save(self, *args, **kwargs):
        # Stored as UTC whatever offset came in: PostgreSQL refuses offsets past ±15:59 (-23:59).
        self.start, self.end = (value.astimezone(dt.UTC) if value and timezone.is_aware(value) else value
                                for value in (self.start, self.end))
        stored = self._stored_calendar_fields()
        changed = {name for name in self.CALENDAR_FIELDS if stored and stored[name] != getattr(self, name)}
        if changed:
            self.sequence += 1
        super().save(*args, **kwargs)
        self._announce(stored, changed)

    def _stored_calendar_fields(self) -> dict | None:
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values(*self.CALENDAR_FIELDS).first()

    def _announce(self, stored: dict | None, changed: set[str]) -> None:
        was_public = stored is not None and stored["status"] != self.Status.DRAFT
        if self.status == self.Status.PUBLISHED and not was_public:
            events.send_after_commit(events.talk_published, Talk, talk=self)
        elif was_public and self.status == self.Status.CANCELLED and "status" in changed:
            events.send_after_commit(events.talk_cancelled, Talk, talk=self)
        elif was_public and self.is_public and changed:
            events.send_after_commit(events.talk_changed, Talk, talk=self, changed=changed)

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The talk must end after it starts.")})
        if self.attendance_mode != self.AttendanceMode.ONLINE and not (self.venue or self.city):
            raise ValidationError({"venue": _("Give a venue or a city for a talk held in person.")})

    @property
    def zone_name(self) -> str:
        return self.series.time_zone if self.series_id else default_zone_name()

    @property
    def local_start(self):
        return in_zone(self.start, self.zone_name)

    @property
    def local_end(self):
        return in_zone(self.end, self.zone_name)

    @property
    def zone_abbreviation(self) -> str:
        return zone_abbreviation(self.start, self.zone_name)

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_online(self) -> bool:
        return self.attendance_mode != self.AttendanceMode.IN_PERSON

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    def people(self) -> list:
        """Each person taking part once, in agenda order (uses prefetched participations)."""
        seen = {}
        for part in self.participations.all():
            seen.setdefault(part.person_id, part.person)
        return list(seen.values())

    @property
    def is_called_off(self) -> bool:
        return self.status in {self.Status.POSTPONED, self.Status.CANCELLED}

    # ------------------------------------------------ the text a visitor reads (translations)
    # `talks.translations.prefetch()` puts the translation into the page's language, if any,
    # in `page_translations`; without it (or without a translation) the original is shown.

    @property
    def page_translation(self):
        found = getattr(self, "page_translations", None)
        return found[0] if found else None

    @property
    def shown_title(self) -> str:
        translation = self.page_translation
        return translation.title if translation and translation.title else self.title

    @property
    def shown_abstract(self) -> str:
        translation = self.page_translation
        return translation.abstract if translation and translation.abstract else self.abstract

    @property
    def title_language(self) -> str:
        translation = self.page_translation
        return translation.language if translation and translation.title else self.language

    @property
    def abstract_language(self) -> str:
        translation = self.page_translation
        return translation.language if translation and translation.abstract else self.language


class TalkTranslation(models.Model):
    """A talk's texts in another language, written by the organisers. Empty fields fall back to
    the original."""

    talk = models.ForeignKey(Talk, verbose_name=_("talk"), on_delete=models.CASCADE,
                             related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=250)
    abstract = models.TextField(_("abstract"), blank=True, help_text=_("Markdown."))
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    takeaways = models.TextField(
        _("key takeaways"), blank=True,
        help_text=_("One line per key takeaway, in the order of the original ones."),
    )

    class Meta:
        ordering = ["language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["talk", "language"], name="one_translation_per_talk_language")
        ]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"

    def clean(self):
        # In the back office's inline the talk may not be saved yet: compare with it all the same.
        talk = self.talk if self.talk_id or "talk" in self._state.fields_cache else None
        if talk is not None and self.language == talk.language:
            raise ValidationError({"language": _("This is the language the talk is given in: "
                                                 "edit the talk's own texts instead.")})

    def takeaway_lines(self) -> list[str]:
        return [line.strip() for line in self.takeaways.splitlines() if line.strip()]


class SeriesTranslation(models.Model):
    """A series' texts in another language. Empty fields fall back to the original."""

    series = models.ForeignKey(Series, verbose_name=_("series"), on_delete=models.CASCADE,
                               related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    name = models.CharField(_("name"), max_length=200, blank=True)
    tagline = models.CharField(_("tagline"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    boilerplate = models.TextField(_("boilerplate"), blank=True, help_text=_("Markdown."))

    class Meta:
        ordering = ["language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["series", "language"], name="one_translation_per_series_language")
        ]

    def __str__(self) -> str:
        return f"{self.name or self.series} [{self.language}]"


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        KEYNOTE = "keynote", _("Keynote")
        PRESENTATION = "presentation", _("Presentation")
        PANEL = "panel", _("Panel discussion")
        QA = "qa", _("Questions and answers")
        CLOSING = "closing", _("Closing")
        OTHER = "other", _("Other")

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRESENTATION)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True, help_text=_("Local time."))
    ends_at = models.TimeField(_("ends at"), null=True, blank=True, help_text=_("Local time."))

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title

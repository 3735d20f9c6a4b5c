"""The shapes of the API: what it answers (…Out) and what it accepts (…In)."""

import datetime as dt
import re
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator, model_validator, AwareDatetime, BeforeValidator, StringConstraints, WithJsonSchema

from clustertalks.core.languages import CODES as LANGUAGE_CODES
from clustertalks.core.links import absolute_url
from clustertalks.materials.models import Recording, Takeaway
from clustertalks.people.models import Participation
from clustertalks.talks.models import AgendaItem, Talk

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def printable(value: str) -> str:
    """Refuse text no database stores faithfully: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    return value


def plausible_year(value: dt.datetime) -> dt.datetime:
    if not 1900 <= value.year <= 2200:
        raise ValueError("must be between the years 1900 and 2200")
    return value


def in_utc(value: dt.datetime) -> dt.datetime:
    """Any valid offset (even -23:59) is accepted and stored as UTC: PostgreSQL refuses offsets
    past ±15:59, and the database keeps UTC anyway."""
    return value.astimezone(dt.UTC)


LOCAL_TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


def local_time(value):
    """HH:MM or HH:MM:SS on the talk's clock: an offset ('16:20:13Z') would be silently dropped
    by one database and refused by the other, so it is refused here."""
    if isinstance(value, str) and not re.fullmatch(LOCAL_TIME_PATTERN, value):
        raise ValueError("must be a local time HH:MM or HH:MM:SS, without a UTC offset")
    if isinstance(value, dt.time) and value.tzinfo is not None:
        raise ValueError("must be a local time without a UTC offset")
    return value


def Text(max_length: int, min_length: int = 0):
    """Text as the back office's forms take it: surrounding white space dropped (so a name of
    spaces only is empty), no NUL."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(printable),
    ]


def Choice(choices, name: str):
    """A model's choices under a name of their own in the OpenAPI schema: AgendaItem.Kind and
    Takeaway.Kind are both called 'Kind', and one would overwrite the other."""
    return Annotated[
        choices, WithJsonSchema({"title": name, "type": "string", "enum": list(choices.values)})
    ]


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Moment = Annotated[AwareDatetime, AfterValidator(plausible_year), AfterValidator(in_utc)]
# Declared as a pattern, not `format: time`: that format requires an offset, and these have none.
LocalTime = Annotated[
    dt.time,
    BeforeValidator(local_time),
    WithJsonSchema({"type": "string", "pattern": LOCAL_TIME_PATTERN, "examples": ["08:30"]}),
]
AgendaKind = Choice(AgendaItem.Kind, "AgendaItemKind")
TakeawayKind = Choice(Takeaway.Kind, "TakeawayKind")
WebAddress = Annotated[
    str, StringConstraints(max_length=500, pattern=r"^https?://[^\s/$.?#][^\s]*$"), AfterValidator(printable)
]


# ---------------------------------------------------------------------------- answers


class PageRef(Schema):
    """Something with a public page: its absolute address."""

    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute_url(obj.get_absolute_url())


class TopicRef(Schema):
    slug: str
    name: str


class TopicOut(TopicRef, PageRef):
    description: str
    url: str


class OrganisationRef(PageRef):
    slug: str
    name: str
    acronym: str
    url: str


class OrganisationOut(OrganisationRef):
    kind: str
    country: str
    website: str
    description: str
    parent: OrganisationRef | None

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code or ""


class PersonRef(PageRef):
    slug: str
    name: str
    url: str


class HonourOut(Schema):
    title: str
    year: int | None


class LinkOut(Schema):
    label: str
    url: str


class PersonOut(PersonRef):
    current_position: str
    current_organisation: OrganisationRef | None
    bio: str
    photo_url: str | None
    photo_sizes: dict[str, str] = Field(
        description="Square WebP versions of the photo by width in pixels (\"96\", \"192\", "
                    "\"400\"); empty until they are made, or without a photo."
    )
    honours: list[HonourOut]
    links: list[LinkOut]

    @staticmethod
    def resolve_photo_url(obj) -> str | None:
        return absolute_url(obj.photo.url) if obj.photo else None

    @staticmethod
    def resolve_photo_sizes(obj) -> dict[str, str]:
        if not obj.has_photo:
            return {}
        return {str(size): absolute_url(getattr(obj, f"photo_{size}").url) for size in (96, 192, 400)}

    @staticmethod
    def resolve_honours(obj) -> list:
        return list(obj.honours.all())

    @staticmethod
    def resolve_links(obj) -> list:
        return list(obj.links.all())


class SeriesRef(PageRef):
    slug: str
    name: str
    url: str


class SeriesTranslationOut(Schema):
    name: str
    tagline: str
    description: str
    boilerplate: str


class SeriesOut(SeriesRef):
    tagline: str
    description: str
    time_zone: str
    organiser: OrganisationRef | None
    on_behalf_of: OrganisationRef | None
    default_duration_minutes: int
    translations: dict[str, SeriesTranslationOut] = Field(
        description="The series' texts in other languages, by language code (empty: the original applies).")

    @staticmethod
    def resolve_translations(obj) -> dict:
        return {one.language: one for one in obj.translations.all()}


class ParticipationOut(Schema):
    id: int
    person: PersonRef
    role: Participation.Role
    position: str
    organisation: OrganisationRef | None
    agenda_item_id: int | None
    order: int


class AgendaItemOut(Schema):
    id: int
    order: int
    title: str
    kind: AgendaKind
    description: str
    starts_at: LocalTime | None = Field(description="Local time, in the talk's time zone.")
    ends_at: LocalTime | None = Field(description="Local time, in the talk's time zone.")


class TalkRef(PageRef):
    slug: str
    title: str
    url: str


class TalkSummaryOut(TalkRef):
    status: Talk.Status
    start: dt.datetime = Field(description="UTC.")
    end: dt.datetime = Field(description="UTC.")
    time_zone: str = Field(description="The series' time zone, in which the talk is announced.")
    local_start: dt.datetime = Field(description="The start in the talk's time zone, with its offset.")
    series: SeriesRef | None
    event_type: str | None
    topics: list[TopicRef]
    speakers: list[ParticipationOut]
    attendance_mode: Talk.AttendanceMode
    venue: str
    city: str
    language: str
    livestream_url: str
    status_note: str
    is_sample: bool

    @staticmethod
    def resolve_time_zone(obj) -> str:
        return obj.zone_name

    @staticmethod
    def resolve_local_start(obj) -> dt.datetime:
        return obj.local_start

    @staticmethod
    def resolve_event_type(obj) -> str | None:
        return obj.event_type.name if obj.event_type_id else None

    @staticmethod
    def resolve_topics(obj) -> list:
        return list(obj.topics.all())

    @staticmethod
    def resolve_speakers(obj) -> list:
        return list(obj.participations.all())


class TakeawayOut(Schema):
    id: int
    kind: TakeawayKind
    text: str
    topic: TopicRef | None
    person: PersonRef | None
    talk: TalkRef


class TalkTakeawayOut(Schema):
    id: int
    kind: TakeawayKind
    text: str
    topic: TopicRef | None
    person: PersonRef | None


class RecordingOut(Schema):
    id: int
    title: str
    source: Recording.Source
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.url or (absolute_url(obj.video.url) if obj.video else "")


class TranslationOut(Schema):
    """The talk's texts in one other language (empty: not translated, the original applies)."""

    title: str
    abstract: str
    summary: str
    takeaways: list[str] = Field(description="In the order of the talk's own takeaways.")


class TalkOut(TalkSummaryOut):
    abstract: str
    audiences: list[str]
    agenda: list[AgendaItemOut]
    summary: str
    takeaways: list[TalkTakeawayOut]
    recordings: list[RecordingOut]
    translations: dict[str, TranslationOut] = Field(
        description="Translations by language code (bg, cs, ... sv); `language` is the original's."
    )

    @staticmethod
    def resolve_translations(obj) -> dict:
        public = materials_public(obj)
        return {one.language: translation_out(one, public) for one in obj.translations.all()}

    @staticmethod
    def resolve_audiences(obj) -> list[str]:
        return [audience.name for audience in obj.audiences.all()]

    @staticmethod
    def resolve_agenda(obj) -> list:
        return list(obj.agenda_items.all())

    @staticmethod
    def resolve_summary(obj) -> str:
        return obj.summary.text if materials_public(obj) else ""

    @staticmethod
    def resolve_takeaways(obj) -> list:
        return list(obj.takeaways.all()) if materials_public(obj) else []

    @staticmethod
    def resolve_recordings(obj) -> list:
        return list(obj.recordings.all()) if materials_public(obj) else []


def translation_out(translation, with_materials: bool) -> dict:
    return {
        "title": translation.title, "abstract": translation.abstract,
        "summary": translation.summary if with_materials else "",
        "takeaways": translation.takeaway_lines() if with_materials else [],
    }


def materials_public(talk) -> bool:
    """As on the talk page: the summary, takeaways and recordings once the organisers published
    the materials (materials.services.publish_materials)."""
    summary = getattr(talk, "summary", None) if hasattr(talk, "summary") else None
    return summary is not None and summary.materials_published_at is not None


class OrganiserTalkOut(TalkOut):
    """What a write endpoint answers: the talk as the organiser sees it, unpublished materials
    included (materials_published_at tells whether they are public)."""

    meeting_url: str
    materials_published_at: dt.datetime | None

    @staticmethod
    def resolve_materials_published_at(obj):
        summary = getattr(obj, "summary", None) if hasattr(obj, "summary") else None
        return summary.materials_published_at if summary else None

    @staticmethod
    def resolve_summary(obj) -> str:
        summary = getattr(obj, "summary", None) if hasattr(obj, "summary") else None
        return summary.text if summary else ""

    @staticmethod
    def resolve_takeaways(obj) -> list:
        return list(obj.takeaways.all())

    @staticmethod
    def resolve_recordings(obj) -> list:
        return list(obj.recordings.all())

    @staticmethod
    def resolve_translations(obj) -> dict:
        return {one.language: translation_out(one, True) for one in obj.translations.all()}


class SearchHitOut(Schema):
    kind: str
    title: str
    url: str
    excerpt: str
    talk: TalkRef | None = Field(description="The talk the hit belongs to (null for a person or organisation).")


class SlidesOut(Schema):
    id: int
    title: str
    url: str
    page_count: int | None
    processing: str

    @staticmethod
    def resolve_url(obj) -> str:
        return absolute_url(obj.file.url) if obj.file else ""


class MaterialsPublishedOut(Schema):
    materials_published_at: dt.datetime
    changed: bool = Field(description="False when they were already published.")


# ---------------------------------------------------------------------------- requests


LanguageCode = Annotated[
    str, StringConstraints(pattern=r"^(" + "|".join(LANGUAGE_CODES) + r")$"),
    WithJsonSchema({"type": "string", "enum": LANGUAGE_CODES}),
]


class TranslationIn(Schema):
    @model_validator(mode="wrap")
    @classmethod
    def an_object(cls, value, handler):
        # Ninja reads attributes of anything; a string would "have" a title (str.title).
        if not isinstance(value, (dict, cls)):
            raise ValueError("must be an object with a title")
        return handler(value)

    title: Text(250, 1)
    abstract: Text(20000) = ""
    summary: Text(50000) = ""
    takeaways: list[Text(2000, 1)] = Field([], max_length=50,
                                            description="In the order of the talk's own takeaways.")


class SeriesTranslationIn(Schema):
    @model_validator(mode="wrap")
    @classmethod
    def an_object(cls, value, handler):
        if not isinstance(value, (dict, cls)):
            raise ValueError("must be an object")
        return handler(value)

    name: Text(200) = ""
    tagline: Text(250) = ""
    description: Text(20000) = ""
    boilerplate: Text(20000) = ""


class TalkIn(Schema):
    title: Text(250, 1)
    start: Moment = Field(description="ISO 8601 with a UTC offset, e.g. 2026-03-04T08:30:00+01:00.")
    end: Moment | None = Field(None, description="Give an end or a duration (default: the series').")
    duration_minutes: int | None = Field(None, ge=1, le=24 * 60)
    series: Slug | None = None
    status: Talk.Status = Talk.Status.DRAFT
    abstract: Text(20000) = ""
    topics: list[Text(120, 1)] = Field([], max_length=30, description="Topic names; new ones are created.")
    event_type: Text(120, 1) | None = None
    attendance_mode: Talk.AttendanceMode = Talk.AttendanceMode.ONLINE
    venue: Text(200) = ""
    city: Text(100) = ""
    language: LanguageCode = Field("en", description="The language the talk is given in.")
    livestream_url: WebAddress | Literal[""] = ""
    meeting_url: WebAddress | Literal[""] = ""
    status_note: Text(300) = ""
    translations: dict[LanguageCode, TranslationIn] = Field(
        {}, max_length=24, description="The talk's texts in other languages, by language code.")


class TalkPatch(Schema):
    title: Text(250, 1) | None = None
    start: Moment | None = None
    end: Moment | None = None
    duration_minutes: int | None = Field(None, ge=1, le=24 * 60)
    series: Slug | None = None
    status: Talk.Status | None = None
    abstract: Text(20000) | None = None
    topics: list[Text(120, 1)] | None = Field(None, max_length=30)
    event_type: Text(120, 1) | None = None
    attendance_mode: Talk.AttendanceMode | None = None
    venue: Text(200) | None = None
    city: Text(100) | None = None
    language: LanguageCode | None = None
    livestream_url: WebAddress | Literal[""] | None = None
    meeting_url: WebAddress | Literal[""] | None = None
    status_note: Text(300) | None = None
    translations: dict[LanguageCode, TranslationIn | None] | None = Field(
        None, max_length=24,
        description="Languages given are set (null removes one); the others stay.")


class AgendaItemIn(Schema):
    title: Text(250, 1)
    kind: AgendaKind = AgendaItem.Kind.PRESENTATION
    description: Text(5000) = ""
    starts_at: LocalTime | None = Field(None, description="Local time (HH:MM), in the talk's zone.")
    ends_at: LocalTime | None = None


class ParticipationIn(Schema):
    person: Text(200, 1) = Field(description="A person's slug, or a name: found by name or created.")
    role: Participation.Role = Participation.Role.SPEAKER
    position: Text(250) = ""
    organisation: Text(200) = Field("", description="An organisation's slug or name; created when new.")
    agenda_item_id: int | None = Field(None, ge=1, le=2**31 - 1)
    order: int = Field(0, ge=0, le=1000)


class TakeawayIn(Schema):
    kind: TakeawayKind
    text: Text(2000, 1)
    topic: Text(120, 1) | None = Field(None, description="A topic name or slug.")
    person: Slug | None = Field(None, description="The slug of a speaker of the talk.")


class SummaryIn(Schema):
    text: Text(50000)


class SummaryOut(Schema):
    text: str
    materials_published_at: dt.datetime | None


class RecordingIn(Schema):
    source: Literal["youtube", "vimeo", "ec", "file_url", "other"]
    url: WebAddress
    title: Text(200) = ""
    duration_seconds: int | None = Field(None, ge=0, le=7 * 24 * 3600)
    language: Text(8, 2) = "en"

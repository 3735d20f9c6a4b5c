"""Rules for writing through the API (and the importer): talks, agenda, speakers, materials.

Every function validates with the models' own rules (full_clean) and raises Django's
ValidationError, which the API turns into a JSON 422; callers wrap them in a transaction.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clustertalks.materials.models import Recording, Takeaway, TalkSummary
from clustertalks.materials.services import classify_video_url
from clustertalks.people.models import Organisation, Participation, Person
from clustertalks.talks.models import (
    AgendaItem, EventType, Series, SeriesTranslation, Talk, TalkTranslation, Topic,
)

TALK_FIELDS = (
    "title", "status", "abstract", "attendance_mode", "venue", "city", "language",
    "livestream_url", "meeting_url", "status_note",
)


def find_series(slug: str | None) -> Series | None:
    if not slug:
        return None
    series = Series.objects.filter(slug=slug).first()
    if series is None:
        raise ValidationError({"series": _("No series with the slug “%(slug)s”.") % {"slug": slug}})
    return series


def created(model, field: str, **values):
    """A new row checked by the model's own rules (as the back office's forms check it), so the
    API stores nothing the back office would refuse; errors are reported under `field`."""
    row = model(**values)
    try:
        row.full_clean(exclude=["slug"])
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    row.save()
    return row


def tidy_name(value: str | None) -> str:
    return " ".join((value or "").split())


def topic_named(name: str, field: str = "topics") -> Topic:
    """The topic with this slug, name (any case) or alias, created (checked) when there is none;
    a refused name is reported under `field`."""
    from .matching import Matcher

    return Matcher().topic(name, field=field)


def event_type_named(name: str | None) -> EventType | None:
    name = tidy_name(name)
    if not name:
        return None
    return EventType.objects.filter(name__iexact=name).first() or created(EventType, "event_type", name=name)


def person_named(name_or_slug: str) -> Person:
    """The person with this slug or name (accents and case folded), created (checked) when
    there is none."""
    from .matching import Matcher

    return Matcher().person(name_or_slug)


def organisation_named(name_or_slug: str) -> Organisation | None:
    """By slug, name, acronym or "unit, parent" (api/matching.py), created when there is none."""
    from .matching import Matcher

    return Matcher().organisation(name_or_slug or "")


def new_times(talk: Talk, data: dict) -> tuple[dt.datetime, dt.datetime]:
    """The start and end after applying `data`: a moved talk keeps its length unless an end
    or a duration is given; a new one without either lasts the series' default duration."""
    start = data.get("start") or talk.start
    if data.get("end") is not None:
        return start, data["end"]
    if data.get("duration_minutes") is not None:
        return start, start + dt.timedelta(minutes=data["duration_minutes"])
    if talk.pk is not None:
        return start, start + (talk.end - talk.start)
    minutes = talk.series.default_duration_minutes if talk.series else 60
    return start, start + dt.timedelta(minutes=minutes)


def save_talk(data: dict, talk: Talk | None = None) -> Talk:
    """Create a talk (talk=None) or change the fields present in `data`."""
    talk = talk or Talk()
    if "series" in data or talk.pk is None:
        talk.series = find_series(data.get("series"))
    for field in TALK_FIELDS:
        if field in data and data[field] is not None:
            setattr(talk, field, data[field])
    if "event_type" in data:
        talk.event_type = event_type_named(data["event_type"])
    talk.start, talk.end = new_times(talk, data)
    talk.full_clean(exclude=["slug", "banner"])
    talk.save()
    if data.get("topics") is not None:
        talk.topics.set([topic_named(name) for name in data["topics"]])
    if data.get("translations") is not None:
        set_translations(talk, data["translations"], replace=data.get("replace_translations", False))
    return talk


def set_translations(talk: Talk, translations: dict, replace: bool = False) -> None:
    """Create or change the translations given ({language: {title, abstract, summary,
    takeaways}}); None removes a language; with `replace`, languages not given are removed."""
    if replace:
        talk.translations.exclude(language__in=list(translations)).delete()
    for language, texts in translations.items():
        if texts is None:
            talk.translations.filter(language=language).delete()
            continue
        if language == talk.language:
            raise ValidationError({"translations": _("%(language)s is the language the talk is given "
                                                     "in: change the talk's own texts.") % {"language": language}})
        row = talk.translations.filter(language=language).first() or TalkTranslation(talk=talk, language=language)
        row.title = texts.get("title") or ""
        row.abstract = texts.get("abstract") or ""
        row.summary = texts.get("summary") or ""
        takeaways = texts.get("takeaways") or []
        row.takeaways = "\n".join(" ".join(line.split()) for line in takeaways) if isinstance(takeaways, list) \
            else str(takeaways)
        try:
            row.full_clean(exclude=["talk"])
        except ValidationError as error:
            raise ValidationError({f"translations.{language}": error.messages}) from error
        row.save()


def replace_agenda(talk: Talk, items: list[dict]) -> list[AgendaItem]:
    """The talk's agenda becomes these items, in this order (speakers stay, unlinked)."""
    talk.agenda_items.all().delete()
    made = []
    for order, fields in enumerate(items, start=1):
        item = AgendaItem(talk=talk, order=order, **fields)
        if item.starts_at and item.ends_at and item.ends_at <= item.starts_at:
            raise ValidationError({f"agenda.{order}.ends_at": _("An item must end after it starts.")})
        item.full_clean()
        item.save()
        made.append(item)
    return made


def add_participation(talk: Talk, data: dict) -> Participation:
    agenda_item_id = data.get("agenda_item_id")
    if agenda_item_id and not talk.agenda_items.filter(pk=agenda_item_id).exists():
        raise ValidationError({"agenda_item_id": _("This talk has no such agenda item.")})
    person = person_named(data["person"])
    part = Participation(
        talk=talk, person=person, role=data.get("role") or Participation.Role.SPEAKER,
        position=data.get("position", ""), organisation=organisation_named(data.get("organisation", "")),
        agenda_item_id=agenda_item_id, order=data.get("order", 0),
    )
    part.full_clean()
    part.save()
    return part


def set_summary(talk: Talk, text: str) -> TalkSummary:
    summary, _created = TalkSummary.objects.get_or_create(talk=talk)
    summary.text = text
    summary.save()
    return summary


def replace_takeaways(talk: Talk, items: list[dict]) -> list[Takeaway]:
    talk.takeaways.all().delete()
    made = []
    for order, fields in enumerate(items, start=1):
        person = None
        if fields.get("person"):
            person = Person.objects.filter(slug=fields["person"], participations__talk=talk).first()
            if person is None:
                raise ValidationError({f"takeaways.{order}.person": _("This person does not speak in the talk.")})
        topic = topic_named(fields["topic"], f"takeaways.{order}.topic") if fields.get("topic") else None
        takeaway = Takeaway(talk=talk, order=order, kind=fields["kind"], text=fields["text"], topic=topic, person=person)
        takeaway.full_clean()
        takeaway.save()
        made.append(takeaway)
    return made


def add_recording(talk: Talk, data: dict) -> Recording:
    """The address is checked as the 'after the talk' screen checks it, and the source comes from
    it (a YouTube address is a YouTube recording, whatever `source` said)."""
    try:
        address = classify_video_url(data["url"])
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from error
    data = {**data, "source": address.source}
    order = talk.recordings.count() + 1
    recording = Recording(talk=talk, order=order, **data)
    recording.full_clean(exclude=["video", "poster"])
    recording.save()
    return recording


def replace_series_translations(series: Series, translations: dict) -> None:
    """The series' texts in other languages: exactly those given ({language: {name, tagline,
    description, boilerplate}}); a language whose texts are all empty is removed."""
    series.translations.exclude(language__in=list(translations)).delete()
    for language, texts in translations.items():
        if not any((texts or {}).values()):
            series.translations.filter(language=language).delete()
            continue
        row = series.translations.filter(language=language).first() or SeriesTranslation(
            series=series, language=language)
        for field in ("name", "tagline", "description", "boilerplate"):
            setattr(row, field, texts.get(field) or "")
        try:
            row.full_clean(exclude=["series"])
        except ValidationError as error:
            raise ValidationError({f"translations.{language}": error.messages}) from error
        row.save()

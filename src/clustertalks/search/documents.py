"""How each piece of the archive becomes search documents (unsaved `SearchDocument` rows).

Weights (the column a body is indexed in): A for a title and for a takeaway, B for a talk's
description and its summary, C for people, organisations and slides, D for transcripts.

Transcripts are indexed as passages of about 30 seconds of consecutive cues, each linking to the
moment its first cue starts (`#t=754`). A one-hour talk is then ~120 documents instead of ~1,000
cues: a passage has enough words for ranking and a readable snippet, the index stays eight times
smaller, and the link still lands within 30 seconds of the sentence.
"""

import html

import nh3
from django.urls import reverse
from django.utils.translation import gettext as _

from clustertalks.core.markdown import render_markdown

from .engine import clean_text
from .expand import split_words
from .models import SearchDocument

Kind = SearchDocument.Kind
PASSAGE_SECONDS = 30
PASSAGE_MAX_CHARS = 2000


def plain(markdown_text: str) -> str:
    """Markdown as plain text (tags dropped, entities decoded)."""
    text = html.unescape(nh3.clean(str(render_markdown(markdown_text or "")), tags=set()))
    return " ".join(text.split())


def document(kind: str, object_id: int, *, url: str, heading: str, title: str = "", body: str = "",
             weight: str = "D", talk=None) -> SearchDocument:
    # Compound words also indexed in parts ("Clusters4NEB" → "Clusters 4 NEB"), at the end of the
    # body where snippets rarely reach, so that "NEB" finds it (search/expand.py).
    parts = split_words(f"{title} {body}")
    if parts:
        body = f"{body}\n{' · '.join(parts)}"
    return SearchDocument(
        kind=kind,
        object_id=object_id,
        talk=talk,
        url=url[:400],
        heading=clean_text(heading)[:300],
        title=clean_text(title)[:400],
        body=clean_text(body),
        weight=weight,
        year=talk.local_start.year if talk else None,
        event_type_id=talk.event_type_id if talk else None,
    )


def talk_documents(talk) -> list[SearchDocument]:
    """The talk itself: its title, and (weight B) its description, agenda, topics, type and
    who spoke for which organisation. Expects topics, agenda items and participations
    (with person and organisation) prefetched."""
    parts = talk.participations.all()
    translations = talk.translations.all()  # every language: a talk is found through any of them
    body = [
        plain(talk.abstract),
        *(f"{one.title}\n{plain(one.abstract)}" for one in translations),
        " ".join(item.title for item in talk.agenda_items.all()),
        " ".join(topic.name for topic in talk.topics.all()),
        talk.event_type.name if talk.event_type_id else "",
        " ".join(part.person.name for part in parts),
        " ".join(str(part.organisation) for part in parts if part.organisation_id),
        talk.series.name if talk.series_id else "",
    ]
    return [
        document(Kind.TALK, talk.pk, url=talk.get_absolute_url(), heading=talk.title,
                 title=talk.title, body="\n".join(filter(None, body)), weight="B", talk=talk)
    ]


def summary_documents(talk, summary) -> list[SearchDocument]:
    if summary is None or not summary.text.strip():
        return []
    translated = [plain(one.summary) for one in talk.translations.all() if one.summary.strip()]
    return [
        document(Kind.SUMMARY, summary.pk, url=talk.get_absolute_url() + "#summary",
                 heading=_("Summary"), body="\n".join([plain(summary.text), *translated]),
                 weight="B", talk=talk)
    ]


def takeaway_documents(talk, takeaways) -> list[SearchDocument]:
    # A translation's takeaways are lines in the order of the original ones.
    lines = [one.takeaway_lines() for one in talk.translations.all()]
    return [
        document(Kind.TAKEAWAY, takeaway.pk, url=talk.get_absolute_url() + f"#takeaway-{takeaway.pk}",
                 heading=str(takeaway.get_kind_display()),
                 body="\n".join([takeaway.text, *(found[n] for found in lines if n < len(found))]),
                 weight="A", talk=talk)
        for n, takeaway in enumerate(takeaways)
        if takeaway.text.strip()
    ]


def slide_documents(talk, attachment, pages) -> list[SearchDocument]:
    """One document per page with text, linking to that page of the file (`#page=4`, which
    browsers' PDF viewers open at)."""
    base = attachment.file.url if attachment.file else talk.get_absolute_url()
    return [
        document(Kind.SLIDE, page.pk, url=f"{base}#page={page.number}",
                 heading=_("%(title)s, page %(number)s") % {"title": attachment.title, "number": page.number},
                 body=page.text, weight="C", talk=talk)
        for page in pages
        if page.text.strip()
    ]


def passages(cues) -> list[list]:
    """Consecutive cues grouped into passages of about PASSAGE_SECONDS each."""
    groups: list[list] = []
    for cue in cues:
        current = groups[-1] if groups else None
        if (
            current is None
            or cue.start_ms - current[0].start_ms >= PASSAGE_SECONDS * 1000
            or sum(len(c.text) for c in current) >= PASSAGE_MAX_CHARS
        ):
            groups.append([cue])
        else:
            current.append(cue)
    return groups


def clock(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def passage_documents(talk, cues, recording_id: int | None = None) -> list[SearchDocument]:
    """Each passage links to its moment on the recording's page (where the transcript is): ?t= is
    read by the server, which starts the player there (no JavaScript needed) and opens the
    transcript at the cue."""
    page = (reverse("materials:recording", args=[talk.slug, recording_id]) if recording_id
            else talk.get_absolute_url())
    documents = []
    for group in passages(cues):
        seconds = group[0].start_ms // 1000
        documents.append(
            document(Kind.PASSAGE, group[0].pk, url=f"{page}?t={seconds}#cue-{group[0].pk}",
                     heading=_("Transcript at %(time)s") % {"time": clock(seconds)},
                     body=" ".join(cue.text for cue in group), weight="D", talk=talk)
        )
    return documents


def person_documents(person) -> list[SearchDocument]:
    """Expects honours and current_organisation loaded."""
    body = [
        person.current_position,
        person.current_organisation.full_name if person.current_organisation_id else "",
        " ".join(honour.title for honour in person.honours.all()),
        plain(person.bio),
    ]
    return [
        document(Kind.PERSON, person.pk, url=person.get_absolute_url(), heading=person.name,
                 title=person.name, body="\n".join(filter(None, body)), weight="C")
    ]


def organisation_documents(organisation) -> list[SearchDocument]:
    body = [
        organisation.get_kind_display(),
        organisation.country.name if organisation.country else "",
        organisation.parent.name if organisation.parent_id else "",
        plain(organisation.description),
    ]
    return [
        document(Kind.ORGANISATION, organisation.pk, url=organisation.get_absolute_url(),
                 heading=str(organisation), title=str(organisation),
                 body="\n".join(filter(None, body)), weight="C")
    ]

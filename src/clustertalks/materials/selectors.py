"""Read-side queries of the materials room: each returns what a page shows in a fixed number of
queries, and only materials a visitor may see (a public talk whose materials were published;
organisers also see a preview of unpublished ones)."""

from dataclasses import dataclass, field

from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.utils.translation import gettext_lazy as _

from clustertalks.core.precompiled import Precompiled
from clustertalks.roles import services as roles
from clustertalks.talks.models import Talk

from . import services
from .models import Attachment, Recording, Takeaway, TalkSummary, TranscriptCue

KIND_HEADINGS = {
    Takeaway.Kind.CHALLENGE: _("Challenges"),
    Takeaway.Kind.SOLUTION: _("Solutions"),
    Takeaway.Kind.GOOD_PRACTICE: _("Good practices"),
    Takeaway.Kind.POLICY: _("Policy"),
    Takeaway.Kind.FUNDING: _("Funding opportunities"),
    Takeaway.Kind.NEXT_STEP: _("Next steps"),
}
LIST_LIMIT = 30


def public_materials() -> Q:
    """Rows of talks whose materials anybody may see (use on a model with a `talk` relation)."""
    return Q(talk__summary__materials_published_at__isnull=False) & ~Q(talk__status=Talk.Status.DRAFT)


def is_organiser(user, talk: Talk) -> bool:
    """May preview this talk's unpublished materials (roles: who may view it in the back office)."""
    return bool(user and user.is_authenticated) and roles.draft_visible_to(user, talk)


def is_organiser_anywhere(user) -> bool:
    """May preview unpublished uploads: a back-office user who may view talks."""
    return bool(user and user.is_authenticated and user.is_staff) and roles.can(user, "view", Talk)


@dataclass
class TalkMaterials:
    talk: Talk
    summary: TalkSummary | None
    is_preview: bool
    recordings: list = field(default_factory=list)
    attachments: list = field(default_factory=list)
    takeaway_groups: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        has_summary = bool(self.summary and self.summary.text.strip())
        return not (self.recordings or self.attachments or self.takeaway_groups or has_summary)


def talk_materials(talk: Talk, user=None) -> TalkMaterials | None:
    """Everything the talk left behind, in four queries, or None when the visitor may not see it."""
    organiser = is_organiser(user, talk)
    if not talk.is_public and not organiser:
        return None
    if Talk.summary.is_cached(talk):  # joined by the talk page's query
        summary = getattr(talk, "summary", None)
    else:
        summary = TalkSummary.objects.filter(talk=talk).first()
    published = bool(summary and summary.materials_published_at and talk.is_public)
    if not published and not organiser:
        return None
    materials = TalkMaterials(
        talk=talk,
        summary=summary,
        is_preview=not published,
        recordings=talk_page_recordings(talk),
        attachments=TALK_ATTACHMENTS.fetch(talk_id=talk.pk),
        takeaway_groups=group_by_kind(TALK_TAKEAWAYS.fetch(talk_id=talk.pk)),
    )
    return None if materials.is_empty else materials


def _recordings(talk_id, with_cues: bool = True):
    from clustertalks.captions.selectors import RECORDING_JOIN  # chapters, other-language tracks

    queryset = Recording.objects.filter(talk=talk_id).select_related("transcript", RECORDING_JOIN)
    if with_cues:
        return queryset.prefetch_related(
            Prefetch("transcript__cues", queryset=TranscriptCue.objects.order_by("position"))
        )
    return queryset.annotate(cue_count=_cue_count())


def _cue_count() -> Subquery:
    """How many lines the recording's transcript has (0 without one), counted in a subquery:
    a COUNT over the joined cues made the database group the rows by every selected column."""
    cues = TranscriptCue.objects.filter(transcript__recording=OuterRef("pk")).order_by()
    return Subquery(cues.values(count=Func("pk", function="COUNT", output_field=IntegerField())))


# The talk page's three materials queries, compiled to SQL once per process (core/precompiled.py).
_TALK_ID = -7_000_000_000_002
TALK_RECORDINGS = Precompiled(lambda talk_id: _recordings(talk_id, with_cues=False), talk_id=_TALK_ID)
TALK_ATTACHMENTS = Precompiled(
    lambda talk_id: Attachment.objects.filter(talk=talk_id).annotate(**_link_columns("speaker")), talk_id=_TALK_ID)
TALK_TAKEAWAYS = Precompiled(
    lambda talk_id: Takeaway.objects.filter(talk=talk_id).annotate(**_link_columns("person"), **_link_columns("topic")),
    talk_id=_TALK_ID)


def _link_columns(relation: str) -> dict:
    """The name and slug of a related person or topic, all the talk page shows of it (a link),
    as `<relation>_name` and `<relation>_slug`: joining the whole row made an instance of it,
    and a Person instance (four file fields, each read by django-cleanup's post_init) cost more
    than the takeaway or attachment itself."""
    return {f"{relation}_name": F(f"{relation}__name"), f"{relation}_slug": F(f"{relation}__slug")}


def talk_page_recordings(talk: Talk) -> list[Recording]:
    """recordings_of(talk, with_cues=False), in the same query compiled once."""
    recordings = TALK_RECORDINGS.fetch(talk_id=talk.pk)
    for recording in recordings:
        dress_recording(recording, with_cues=False)
    return recordings


def recordings_of(talk: Talk, pk: int | None = None, with_cues: bool = True) -> list[Recording]:
    """The talk's recordings. Without cues (the talk page), each only knows how many lines its
    transcript has: the transcript itself is on the recording's own page, so a 1,000-line
    transcript costs the talk page nothing."""
    queryset = _recordings(talk.pk, with_cues)
    if pk is not None:
        queryset = queryset.filter(pk=pk)
    recordings = list(queryset)
    for recording in recordings:
        dress_recording(recording, with_cues)
    return recordings


def dress_recording(recording: Recording, with_cues: bool = True, start_seconds: int = 0) -> None:
    """Give a recording what its template needs: player (starting at `start_seconds`), cues
    with times (the one playing then marked) unless the page leaves them out, caption track."""
    recording.player = services.recording_embed(recording, start_seconds)
    recording.start_seconds = start_seconds
    transcript = getattr(recording, "transcript", None)
    if not with_cues:
        recording.cues = []
        recording.has_captions = bool(transcript and recording.cue_count)
        return
    recording.cues = list(transcript.cues.all()) if transcript else []
    recording.cue_count = len(recording.cues)
    recording.has_captions = bool(recording.cues)
    for cue in recording.cues:
        cue.start_seconds = cue.start_ms // 1000
        cue.clock = services.clock(cue.start_ms)
        cue.is_current = bool(start_seconds) and cue.start_ms // 1000 <= start_seconds < max(cue.end_ms // 1000, cue.start_ms // 1000 + 1)


def moment_param(params) -> tuple[int, int | None]:
    """A deep link's moment: ?t=<seconds> (and which recording: &recording=<id>), read leniently."""
    raw, which = (params.get("t") or "").strip().rstrip("s"), (params.get("recording") or "").strip()
    seconds = int(raw) if raw.isdigit() and len(raw) < 7 else 0
    return seconds, (int(which) if which.isdigit() and len(which) < 10 else None)


def group_by_kind(takeaways) -> list[tuple[str, str, list[Takeaway]]]:
    """(kind, heading, takeaways) in the order of the kinds, leaving out empty kinds."""
    groups: dict[str, list[Takeaway]] = {kind: [] for kind in KIND_HEADINGS}
    for takeaway in takeaways:
        groups.setdefault(takeaway.kind, []).append(takeaway)
    return [(kind, KIND_HEADINGS.get(kind, kind), items) for kind, items in groups.items() if items]


def latest_recordings(limit: int = 4) -> list[Recording]:
    """The recordings of the most recent talks with published materials: one query."""
    return list(
        Recording.objects.filter(public_materials())
        .select_related("talk", "talk__series", "transcript")
        .order_by("-talk__start", "order", "pk")[:limit]
    )


def person_takeaways(person) -> list[Takeaway]:
    return list(
        Takeaway.objects.filter(public_materials(), person=person)
        .select_related("talk", "talk__series", "topic")
        .order_by("-talk__start", "order", "pk")[:LIST_LIMIT]
    )


def topic_takeaways(topic) -> list[Takeaway]:
    return list(
        Takeaway.objects.filter(public_materials(), topic=topic)
        .select_related("talk", "talk__series", "person")
        .order_by("-talk__start", "order", "pk")[:LIST_LIMIT]
    )


def visible_recording(slug: str, pk: int, user=None) -> Recording | None:
    """One recording with its transcript, if the visitor may see it: three or four queries."""
    talk = Talk.objects.select_related("series").filter(slug=slug).first()
    if talk is None:
        return None
    organiser = is_organiser(user, talk)
    if not organiser:
        published = talk.is_public and TalkSummary.objects.filter(
            talk=talk, materials_published_at__isnull=False
        ).exists()
        if not published:
            return None
    found = recordings_of(talk, pk)
    if not found:
        return None
    found[0].talk = talk
    return found[0]

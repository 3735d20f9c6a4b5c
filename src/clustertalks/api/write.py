"""Organiser write endpoints: a token with write scope is required (401 without, 403 if read).

A token does what its owner's role allows, never more (roles.services): the permission for the
change (403 without it) and, for a series organiser, the talk's series (404 outside it, as if
the talk did not exist; 403 for moving or creating a talk outside their series)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Body, File, Form, Path, Status
from ninja.files import UploadedFile

from clustertalks.materials.models import Attachment, Recording, Takeaway, TalkSummary
from clustertalks.people.models import Participation
from clustertalks.roles import services as roles
from clustertalks.talks.models import Series, Talk

from . import selectors, slides, writing
from .auth import WriteToken
from .errors import ErrorOut
from .read import router
from .schemas import (
    SLUG_PATTERN,
    AgendaItemIn,
    AgendaItemOut,
    MaterialsPublishedOut,
    OrganiserTalkOut,
    ParticipationIn,
    ParticipationOut,
    RecordingIn,
    LanguageCode,
    RecordingOut,
    SeriesOut,
    SeriesTranslationIn,
    SlidesOut,
    SummaryIn,
    SummaryOut,
    TakeawayIn,
    TalkIn,
    TalkPatch,
    TalkTakeawayOut,
)

WRITE = {"auth": WriteToken(), "tags": ["organisers"]}
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
SlugPath = Path(..., pattern=SLUG_PATTERN, max_length=80)


def require(request, action: str, model) -> None:
    """The token owner's role must allow `action` on `model` (403 otherwise)."""
    if not roles.can(request.user, action, model):
        raise PermissionDenied(_("Your role does not allow this: %(action)s %(what)s.") % {
            "action": action, "what": model._meta.verbose_name_plural})


def any_talk(request, slug: str, action: str = "change", model=Talk) -> Talk:
    """Drafts included (organisers write to them), within the token owner's series; the
    owner's role must allow `action` on `model` for it."""
    require(request, action, model)
    talk = get_object_or_404(Talk.objects.all(), slug=slug)
    if not roles.in_scope(request.user, talk):
        raise Http404
    return talk


def keep_in_scope(request, talk: Talk) -> None:
    """A series organiser creates and moves talks only within their series (inside the
    transaction: refusing rolls the change back)."""
    if not roles.in_scope(request.user, talk):
        raise PermissionDenied(_("You may only put talks in your own series."))


def organiser_view(talk: Talk) -> Talk:
    return selectors.talk_detail_queryset(Talk.objects.all()).get(pk=talk.pk)


@router.post("/talks", response={201: OrganiserTalkOut, **ERRORS}, **WRITE)
def create_talk(request, payload: TalkIn):
    """Create a talk. Times need a UTC offset; a naive time is refused (422)."""
    require(request, "add", Talk)
    with transaction.atomic():
        talk = writing.save_talk({**payload.model_dump(), "replace_translations": True})
        keep_in_scope(request, talk)
    return Status(201, organiser_view(talk))


@router.get("/organiser/talks/{slug}", response={200: OrganiserTalkOut, **ERRORS}, **WRITE)
def get_any_talk(request, slug: str = SlugPath):
    """A talk as organisers see it, drafts and meeting address included."""
    return organiser_view(any_talk(request, slug, "view"))


@router.patch("/talks/{slug}", response={200: OrganiserTalkOut, **ERRORS}, **WRITE)
def update_talk(request, payload: TalkPatch, slug: str = SlugPath):
    """Change the fields given; the others stay. Publishing (status "published") notifies."""
    with transaction.atomic():
        talk = writing.save_talk(payload.model_dump(exclude_unset=True), any_talk(request, slug))
        keep_in_scope(request, talk)
    return organiser_view(talk)


@router.put("/talks/{slug}/agenda", response={200: list[AgendaItemOut], **ERRORS}, **WRITE)
def replace_agenda(request, payload: list[AgendaItemIn], slug: str = SlugPath):
    """The agenda becomes this list, in this order."""
    if len(payload) > 50:
        return Status(422, {"code": "invalid", "detail": "At most 50 agenda items.", "errors": []})
    with transaction.atomic():
        return writing.replace_agenda(any_talk(request, slug), [item.model_dump() for item in payload])


@router.post("/talks/{slug}/participations", response={201: ParticipationOut, **ERRORS}, **WRITE)
def add_participation(request, payload: ParticipationIn, slug: str = SlugPath):
    """Add a speaker, moderator or host; a person or organisation is found by slug or name."""
    with transaction.atomic():
        talk = any_talk(request, slug, "add", Participation)
        return Status(201, writing.add_participation(talk, payload.model_dump()))


@router.delete("/talks/{slug}/participations/{participation_id}", response={204: None, **ERRORS}, **WRITE)
def remove_participation(request, participation_id: int = Path(..., ge=1, le=2**31 - 1), slug: str = SlugPath):
    part = get_object_or_404(any_talk(request, slug, "delete", Participation).participations, pk=participation_id)
    part.delete()
    return Status(204, None)


@router.put("/talks/{slug}/summary", response={200: SummaryOut, **ERRORS}, **WRITE)
def set_summary(request, payload: SummaryIn, slug: str = SlugPath):
    with transaction.atomic():
        return writing.set_summary(any_talk(request, slug, "change", TalkSummary), payload.text)


@router.put("/talks/{slug}/takeaways", response={200: list[TalkTakeawayOut], **ERRORS}, **WRITE)
def replace_takeaways(request, payload: list[TakeawayIn], slug: str = SlugPath):
    """The key takeaways become this list, in this order."""
    if len(payload) > 50:
        return Status(422, {"code": "invalid", "detail": "At most 50 takeaways.", "errors": []})
    with transaction.atomic():
        return writing.replace_takeaways(any_talk(request, slug, "change", Takeaway), [item.model_dump() for item in payload])


@router.post("/talks/{slug}/recordings", response={201: RecordingOut, **ERRORS}, **WRITE)
def add_recording(request, payload: RecordingIn, slug: str = SlugPath):
    """Add a recording by address (uploads belong to the back office)."""
    with transaction.atomic():
        return Status(201, writing.add_recording(any_talk(request, slug, "add", Recording), payload.model_dump()))


@router.post("/talks/{slug}/slides", response={201: SlidesOut, **ERRORS}, **WRITE)
def upload_slides(request, file: File[UploadedFile], title: Form[str] = "", slug: str = SlugPath):
    """Upload slides (PDF, multipart field `file`, optional `title`); their text is extracted
    for search by the worker. They are public once the talk's materials are published."""
    talk = any_talk(request, slug, "add", Attachment)
    if len(title) > 250 or "\x00" in title:
        return Status(422, {"code": "invalid", "detail": "The title must be at most 250 characters.", "errors": []})
    try:
        with transaction.atomic():
            return Status(201, slides.add_slides(talk, file, title=title))
    except ValidationError as error:
        return Status(422, {"code": "invalid", "detail": " ".join(error.messages), "errors": []})


@router.post("/talks/{slug}/materials/publish", response={200: MaterialsPublishedOut, **ERRORS}, **WRITE)
def publish_materials(request, slug: str = SlugPath):
    """Publish the talk's summary, takeaways, slides and recordings: the same as the back
    office's action, with the same event (registrants' follow-up, webhooks, search)."""
    from clustertalks.materials.services import NotPublishable
    from clustertalks.materials.services import publish_materials as publish

    talk = any_talk(request, slug, "change", TalkSummary)
    try:
        changed = publish(talk, now=timezone.now())
    except NotPublishable as error:
        return Status(422, {"code": "invalid", "detail": str(error), "errors": []})
    published_at = TalkSummary.objects.get(talk=talk).materials_published_at
    return {"materials_published_at": published_at, "changed": changed}


@router.put("/series/{slug}/translations", response={200: SeriesOut, **ERRORS}, **WRITE)
def replace_series_translations(request, payload: dict[LanguageCode, SeriesTranslationIn] = Body(...),
                                slug: str = SlugPath):
    """Set the series' texts in other languages: exactly the languages given."""
    require(request, "change", Series)
    series = get_object_or_404(Series.objects.all(), slug=slug)
    if not roles.in_scope(request.user, series):
        raise Http404
    with transaction.atomic():
        writing.replace_series_translations(
            series, {code: texts.model_dump() for code, texts in payload.items()})
    return get_object_or_404(selectors.series_list(), pk=series.pk)

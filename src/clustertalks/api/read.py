"""Public read endpoints: published talks and what is public about people and organisations."""

import datetime as dt
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from . import search as api_search
from . import selectors
from .errors import ErrorOut
from .pagination import ApiPagination
from .schemas import (
    SLUG_PATTERN,
    OrganisationOut,
    PersonOut,
    SearchHitOut,
    SeriesOut,
    TakeawayOut,
    TalkOut,
    TalkSummaryOut,
    Text,
    TopicOut,
)

router = Router()
LIST_ERRORS = {400: ErrorOut, 422: ErrorOut}
ONE_ERRORS = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}
SlugPath = Path(..., pattern=SLUG_PATTERN, max_length=80)


class TalkFilters(Schema):
    when: Literal["upcoming", "past"] | None = Field(
        None, description="upcoming: not yet ended, soonest first; past: ended, latest first."
    )
    topic: str | None = Field(None, pattern=SLUG_PATTERN, max_length=80, description="A topic slug.")
    series: str | None = Field(None, pattern=SLUG_PATTERN, max_length=80, description="A series slug.")
    date_from: dt.date | None = Field(None, alias="from", description="Starting on or after (UTC date).")
    date_to: dt.date | None = Field(None, alias="to", description="Starting on or before (UTC date).")


class TakeawayFilters(Schema):
    talk: str | None = Field(None, pattern=SLUG_PATTERN, max_length=80, description="A talk slug.")
    kind: Literal["challenge", "solution", "good_practice", "policy", "funding", "next_step"] | None = None
    topic: str | None = Field(None, pattern=SLUG_PATTERN, max_length=80, description="A topic slug.")


@router.get("/series", response={200: list[SeriesOut], **LIST_ERRORS}, tags=["series"])
@paginate(ApiPagination)
def list_series(request):
    """Every series."""
    return selectors.series_list()


@router.get("/series/{slug}", response={200: SeriesOut, **ONE_ERRORS}, tags=["series"])
def get_series(request, slug: str = SlugPath):
    return get_object_or_404(selectors.series_list(), slug=slug)


@router.get("/talks", response={200: list[TalkSummaryOut], **LIST_ERRORS}, tags=["talks"])
@paginate(ApiPagination)
def list_talks(request, filters: Query[TalkFilters]):
    """Published (also postponed and cancelled) talks; drafts are never listed."""
    return selectors.talk_list(
        when=filters.when, topic=filters.topic, series=filters.series,
        date_from=filters.date_from, date_to=filters.date_to,
    )


@router.get("/talks/{slug}", response={200: TalkOut, **ONE_ERRORS}, tags=["talks"])
def get_talk(request, slug: str = SlugPath):
    """One published talk with its agenda, speakers, summary, takeaways and recordings."""
    return get_object_or_404(selectors.talk_detail_queryset(), slug=slug)


@router.get("/people", response={200: list[PersonOut], **LIST_ERRORS}, tags=["people"])
@paginate(ApiPagination)
def list_people(request):
    """People who take part in at least one published talk."""
    return selectors.people()


@router.get("/people/{slug}", response={200: PersonOut, **ONE_ERRORS}, tags=["people"])
def get_person(request, slug: str = SlugPath):
    return get_object_or_404(selectors.people(), slug=slug)


@router.get("/organisations", response={200: list[OrganisationOut], **LIST_ERRORS}, tags=["organisations"])
@paginate(ApiPagination)
def list_organisations(request):
    """Organisations of speakers of published talks, and organisers of series."""
    return selectors.organisations()


@router.get("/organisations/{slug}", response={200: OrganisationOut, **ONE_ERRORS}, tags=["organisations"])
def get_organisation(request, slug: str = SlugPath):
    return get_object_or_404(selectors.organisations(), slug=slug)


@router.get("/topics", response={200: list[TopicOut], **LIST_ERRORS}, tags=["topics"])
@paginate(ApiPagination)
def list_topics(request):
    return selectors.topics()


@router.get("/topics/{slug}", response={200: TopicOut, **ONE_ERRORS}, tags=["topics"])
def get_topic(request, slug: str = SlugPath):
    return get_object_or_404(selectors.topics(), slug=slug)


@router.get("/takeaways", response={200: list[TakeawayOut], **LIST_ERRORS}, tags=["takeaways"])
@paginate(ApiPagination)
def list_takeaways(request, filters: Query[TakeawayFilters]):
    """Key takeaways of published talks, latest talks first."""
    return selectors.takeaways(talk=filters.talk, kind=filters.kind, topic=filters.topic)


class SearchPage(Schema):
    items: list[SearchHitOut]
    count: int
    page: int
    page_size: int


@router.get("/search", response={200: SearchPage, **LIST_ERRORS}, tags=["search"])
def search(
    request,
    q: Text(200, 1) = Query(..., description="Words to look for; \"a phrase\" and -word work."),
    page: int = Query(1, ge=1, le=api_search.MAX_PAGE),
):
    """Search the public archive: talks, takeaways, summaries, speakers, slides, transcripts."""
    return api_search.search(q, page)

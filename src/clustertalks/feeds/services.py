"""What the calendar feeds, RSS/Atom feeds and the embed page contain, and their version."""

import datetime as dt
import hashlib
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clustertalks.talks.models import Series, Talk, Topic
from clustertalks.talks.selectors import public_topics, talk_cards

from .calendar import calendar_for

# A calendar feed carries at most this many talks, the latest by start (20 years of a
# bi-weekly series): enough for every client, bounded for the server.
CALENDAR_MAX_TALKS = 500
# How often calendar clients are asked to poll a subscription (REFRESH-INTERVAL).
CALENDAR_REFRESH_HOURS = 6
# A built calendar stays in the cache this long; a new version has a new key anyway.
CALENDAR_CACHE_SECONDS = 24 * 3600
FEED_MAX_ITEMS = 30
EMBED_DEFAULT_TALKS = 5
EMBED_MAX_TALKS = 20
# Raise when the calendar output changes shape, so clients holding an ETag refetch.
FORMAT_VERSION = "1"


@dataclass(frozen=True)
class FeedScope:
    """All talks, the talks of one series, or the talks about one topic."""

    series: Series | None = None
    topic: Topic | None = None

    @property
    def kind(self) -> str:
        return "series" if self.series else "topic" if self.topic else "all"

    @property
    def slug(self) -> str:
        return (self.series or self.topic).slug if self.kind != "all" else ""

    @cached_property
    def name(self) -> str:
        if self.series:
            return self.series.name
        site = everything_name()
        if self.topic:
            return _("%(site)s: %(topic)s talks") % {"site": site, "topic": self.topic.name}
        return site

    def talks(self):
        talks = Talk.objects.published()
        if self.series:
            talks = talks.filter(series=self.series)
        if self.topic:
            talks = talks.filter(topics=self.topic)
        return talks

    def url_args(self) -> list[str]:
        return [self.slug] if self.slug else []

    def url_name(self, suffix: str) -> str:
        """`feeds:<kind>_<suffix>`, e.g. feeds:series_ics or feeds:all_talks_rss."""
        return f"feeds:{self.kind}_{suffix}"

    def url(self, suffix: str) -> str:
        return reverse(self.url_name(suffix), args=self.url_args())


def everything_name() -> str:
    """The name of the feed of all talks, as a calendar app lists it next to others: the
    series' own name when the site runs one series, else the site's name ("All talks" says
    nothing once subscribed). A site identity set by the organisers names it first."""
    from clustertalks.branding.services import site_identity

    identity = site_identity()  # kept per content generation: no query
    if not identity.is_default:
        return identity.name
    names = list(Series.objects.filter(talks__in=Talk.objects.published())
                 .values_list("name", flat=True).distinct()[:2])
    if len(names) == 1:
        return names[0]
    return getattr(settings, "SITE_NAME", "") or "clustertalks"


def scope_for(series_slug: str = "", topic_slug: str = "") -> FeedScope:
    if series_slug:
        return FeedScope(series=get_object_or_404(Series, slug=series_slug))
    if topic_slug:
        return FeedScope(topic=get_object_or_404(public_topics(), slug=topic_slug))
    return FeedScope()


def calendar_talks(scope: FeedScope) -> list[Talk]:
    """The talks of a calendar feed (cancelled ones included), in 3 queries."""
    latest = talk_cards(scope.talks().order_by("-start"))[:CALENDAR_MAX_TALKS]
    return sorted(latest, key=lambda talk: talk.start)


@dataclass(frozen=True)
class FeedVersion:
    etag: str
    last_modified: dt.datetime | None


def calendar_version(scope: FeedScope) -> FeedVersion:
    """One aggregate query: the feed changes when a talk in it is added, edited or removed."""
    state = scope.talks().aggregate(latest=Max("updated_at"), count=Count("pk"), sequence=Max("sequence"))
    parts = [FORMAT_VERSION, scope.kind, scope.slug, scope.name, state["count"],
             state["sequence"], state["latest"].isoformat() if state["latest"] else ""]
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
    return FeedVersion(etag=digest, last_modified=state["latest"])


def cached_calendar(scope: FeedScope, version: FeedVersion, url: str) -> bytes:
    """The feed's body, built once per version and shared by every process through the cache
    (building 500 talks takes more than a second)."""
    def build() -> bytes:
        talks = calendar_talks(scope)
        return calendar_for(talks, scope.name, url=url, refresh_hours=CALENDAR_REFRESH_HOURS)

    key = f"feeds:calendar:{version.etag}:{hashlib.sha256(url.encode()).hexdigest()[:16]}"
    return cache.get_or_set(key, build, CALENDAR_CACHE_SECONDS)


def webcal(url: str) -> str:
    """The webcal:// address that makes a browser hand a feed to the calendar app."""
    return "webcal://" + url.split("://", 1)[1]


def embed_talks(series_slug: str = "", limit: str | None = None) -> list[Talk]:
    """The next published talks for the embed page (cancelled ones shown as cancelled)."""
    talks = Talk.objects.published().upcoming(timezone.now())
    if series_slug:
        talks = talks.filter(series__slug=series_slug)
    return list(talk_cards(talks)[: embed_limit(limit)])


def embed_limit(raw: str | None) -> int:
    try:
        wanted = int(raw) if raw else EMBED_DEFAULT_TALKS
    except ValueError:
        return EMBED_DEFAULT_TALKS
    return max(1, min(wanted, EMBED_MAX_TALKS))

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import SITEMAPS
from .syndication import RecordingFeed, TalkFeed, atom

app_name = "feeds"


def scoped_feeds(kind: str, prefix: str, slug: str) -> list:
    """RSS and Atom of new talks and of new recordings, for one kind of scope."""
    routes = []
    for content, feed_class in (("talks", TalkFeed), ("recordings", RecordingFeed)):
        routes += [
            path(f"{prefix}{slug}{content}.rss", feed_class(kind), name=f"{kind}_{content}_rss"),
            path(f"{prefix}{slug}{content}.atom", atom(feed_class)(kind), name=f"{kind}_{content}_atom"),
        ]
    return routes


urlpatterns = [
    path("talks/<slug:slug>/calendar.ics", views.talk_ics, name="talk_ics"),
    path("talks/<slug:slug>/share.png", views.share_png, name="share_png"),
    path("talks/<slug:slug>/banner.png", views.banner_png, name="banner_png"),
    path("calendar/talks.ics", views.calendar_feed, {"kind": "all"}, name="all_ics"),
    path("calendar/series/<slug:slug>.ics", views.calendar_feed, {"kind": "series"}, name="series_ics"),
    path("calendar/topics/<slug:slug>.ics", views.calendar_feed, {"kind": "topic"}, name="topic_ics"),
    *scoped_feeds("all", "feeds/", ""),
    *scoped_feeds("series", "feeds/series/", "<slug:slug>/"),
    *scoped_feeds("topic", "feeds/topics/", "<slug:slug>/"),
    path("embed/upcoming", views.embed_upcoming, name="embed_upcoming"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap_section"),
]

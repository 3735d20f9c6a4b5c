import os
import re

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import condition, require_GET

from clustertalks.core.caching import public_page
from clustertalks.core.links import absolute_url
from clustertalks.core.middleware import CONTENT_SECURITY_POLICY
from clustertalks.roles import services as roles
from clustertalks.talks.models import Talk
from clustertalks.talks.selectors import speakers_prefetch, talk_page_queryset

from . import services, share_images
from .calendar import calendar_for


@public_page
def talk_ics(request, slug):
    talk = get_object_or_404(talk_page_queryset(), slug=slug)
    if not talk.is_public and not roles.draft_visible_to(request.user, talk):
        raise Http404
    response = HttpResponse(calendar_for([talk], talk.title), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{talk.slug}.ics"'
    return response


# Calendar subscriptions -------------------------------------------------------------------

def _scope(request, kind: str, slug: str = "") -> services.FeedScope:
    """The feed's scope and version, worked out once per request (ETag and Last-Modified)."""
    if not hasattr(request, "_feed_scope"):
        scope = services.scope_for(**{f"{kind}_slug": slug} if kind != "all" else {})
        request._feed_scope = scope
        request._feed_version = services.calendar_version(scope)
    return request._feed_scope


def _etag(request, kind, slug=""):
    _scope(request, kind, slug)
    return request._feed_version.etag


def _last_modified(request, kind, slug=""):
    _scope(request, kind, slug)
    return request._feed_version.last_modified


@require_GET
@public_page
@condition(etag_func=_etag, last_modified_func=_last_modified)
def calendar_feed(request, kind, slug=""):
    scope = _scope(request, kind, slug)
    body = services.cached_calendar(scope, request._feed_version, absolute_url(request.path))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    filename = f"{scope.slug or 'talks'}.ics"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# Share images ---------------------------------------------------------------------------

def _share_talk(request, slug):
    if not hasattr(request, "_share_talk"):
        talk = get_object_or_404(
            Talk.objects.select_related("series").prefetch_related(speakers_prefetch()), slug=slug
        )
        if not talk.is_public and not roles.draft_visible_to(request.user, talk):
            raise Http404
        request._share_talk = talk
    return request._share_talk


def share_image_view(kind: str):
    @require_GET
    @public_page
    def view(request, slug):
        """The PNG itself; its ETag lets ConditionalGetMiddleware answer a repeat with 304."""
        image = share_images.share_image(_share_talk(request, slug), kind)
        response = HttpResponse(image.content, content_type="image/png")
        response["ETag"] = f'"{image.etag}"'
        return response

    view.__name__ = f"{kind}_png"
    return view


share_png = share_image_view("share")
banner_png = share_image_view("banner")


# Search engines -------------------------------------------------------------------------

@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /j/",
        "",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# Embed ----------------------------------------------------------------------------------

SOURCE = re.compile(r"^(\*|'self'|https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?)$")


def frame_ancestors() -> str:
    """Who may frame the embed page: EMBED_FRAME_ANCESTORS (space-separated sources) or anyone."""
    configured = getattr(settings, "EMBED_FRAME_ANCESTORS", None) or os.environ.get(
        "EMBED_FRAME_ANCESTORS", "*"
    )
    sources = [source for source in configured.split() if SOURCE.match(source)]
    return " ".join(sources) or "'none'"


def embed_policy() -> str:
    return CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", f"frame-ancestors {frame_ancestors()}")


@require_GET
@xframe_options_exempt
@public_page
def embed_upcoming(request):
    series_slug = (request.GET.get("series") or "")[:80]
    talks = services.embed_talks(series_slug, request.GET.get("limit"))
    response = render(
        request,
        "feeds/embed_upcoming.html",
        {"talks": talks, "all_url": absolute_url("/")},
    )
    response["Content-Security-Policy"] = embed_policy()
    return response


def sitemap_index(request):
    """sitemap.xml: the index of the sections' sitemaps (robots.txt points here)."""
    from django.contrib.sitemaps.views import SitemapIndexItem

    from .sitemaps import index_locations

    items = [SitemapIndexItem(location, None) for location in index_locations()]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": items},
                            content_type="application/xml")

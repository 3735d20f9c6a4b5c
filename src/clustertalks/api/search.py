"""The API's search: the archive's full-text engine (clustertalks.search) when it is installed,
else a plain title/abstract match on published talks."""

import html

from django.db.models import Q
from django.utils.html import strip_tags

from clustertalks.core.links import absolute_url

from .selectors import public_talks

PAGE_SIZE = 20
MAX_PAGE = 50


def search(query: str, page: int = 1) -> dict:
    try:
        from clustertalks.search.engine import get_engine
    except ImportError:  # the search room is not installed
        return fallback_search(query, page)
    return engine_search(get_engine(), query, page)


def engine_search(engine, query: str, page: int) -> dict:
    from clustertalks.search.selectors import attach_talks

    results = engine.search(query, page=page)
    attach_talks(results.hits)
    items = [
        {
            "kind": hit.kind,
            "title": hit.heading,
            "url": absolute_url(hit.url) if hit.url.startswith("/") else hit.url,
            "excerpt": html.unescape(strip_tags(str(hit.snippet))),
            "talk": hit.talk,
        }
        for hit in results.hits
    ]
    return {"items": items, "count": results.shown_count, "page": results.page, "page_size": PAGE_SIZE}


def fallback_search(query: str, page: int) -> dict:
    talks = public_talks().filter(Q(title__icontains=query) | Q(abstract__icontains=query)).order_by("-start", "pk")
    offset = (page - 1) * PAGE_SIZE
    items = [
        {"kind": "talk", "title": talk.title, "url": absolute_url(talk.get_absolute_url()), "excerpt": talk.abstract[:300],
         "talk": talk}
        for talk in talks[offset: offset + PAGE_SIZE]
    ]
    return {"items": items, "count": talks.count(), "page": page, "page_size": PAGE_SIZE}

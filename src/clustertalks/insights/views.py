"""Public statistics pages: one per series and one overall, for a chosen period."""

from django.shortcuts import get_object_or_404, render

from clustertalks.core.caching import public_page
from clustertalks.talks.models import Series

from . import presentation, statistics
from .period import period_from


# The registration and attendance totals change with every sign-up. Bumping the whole site's
# page-cache generation for each sign-up would empty the cache during a sign-up rush, so these
# pages are kept one minute at most instead; every other figure follows the generation.
STATISTICS_CACHE_SECONDS = 60


def _page(request, series):
    form, period = period_from(request.GET)
    stats = statistics.compute(series, period)
    response = render(request, "insights/statistics.html", {
        "series": series, "form": form, "period": period, "stats": stats,
        "headline": presentation.headline(stats), "figures": presentation.figures(stats),
    }, status=200 if form.is_valid() else 400)
    response.page_cache_seconds = STATISTICS_CACHE_SECONDS
    return response


@public_page
def overall(request):
    return _page(request, None)


@public_page
def series_statistics(request, slug):
    return _page(request, get_object_or_404(Series, slug=slug))

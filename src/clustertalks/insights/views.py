"""Public statistics pages: one per series and one overall, for a chosen period."""

from django.shortcuts import get_object_or_404, render

from clustertalks.core.caching import public_page
from clustertalks.talks.models import Series

from . import presentation, statistics
from .period import period_from


def _page(request, series):
    form, period = period_from(request.GET)
    stats = statistics.compute(series, period)
    return render(request, "insights/statistics.html", {
        "series": series, "form": form, "period": period, "stats": stats,
        "headline": presentation.headline(stats), "figures": presentation.figures(stats),
    }, status=200 if form.is_valid() else 400)


@public_page
def overall(request):
    return _page(request, None)


@public_page
def series_statistics(request, slug):
    return _page(request, get_object_or_404(Series, slug=slug))

from django.shortcuts import render

from clustertalks.core.caching import public_page

from . import selectors
from .engine import get_engine


@public_page
def search(request):
    form = selectors.read_search_params(request.GET)
    results = None
    if form.query:
        results = get_engine().search(form.query, form.filters, form.page)
        selectors.attach_talks(results.hits)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "options": selectors.filter_options(form.speaker),
            "querystring": request.GET.copy(),
        },
    )

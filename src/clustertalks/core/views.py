from django.shortcuts import render

from clustertalks.core.caching import public_page


@public_page
def privacy(request):
    return render(request, "core/privacy.html")


@public_page
def accessibility(request):
    return render(request, "core/accessibility.html")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def server_error(request):
    return render(request, "500.html", status=500)

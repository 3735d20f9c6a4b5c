from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from clustertalks.core import statement
from clustertalks.core.caching import public_page


@public_page
def privacy(request):
    return render(request, "core/privacy.html")


@public_page
def accessibility(request):
    return render(request, "core/accessibility.html", statement.accessibility_statement())


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def server_error(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    """A form that came back without a valid CSRF token: say what to do, in the site's style.
    The reason is for developers: Django's CSRF middleware logs it; the page never shows it."""
    response = render(request, "403_csrf.html", {"back_url": _same_site_referer(request)},
                      status=403)
    response["Cache-Control"] = "no-store"
    return response


def _same_site_referer(request) -> str:
    """The page the form came from, when it is on this site (a link back to it), else ""."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return referer
    return ""

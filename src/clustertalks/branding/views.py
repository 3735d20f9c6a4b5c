from django.http import HttpResponse
from django.views.decorators.http import require_safe

from clustertalks.core.caching import public_page

from . import services


@require_safe
@public_page
def stylesheet(request):
    """The identities' colours as CSS custom properties (linked with a version, so that a
    change of colours reaches visitors at once; inline styles are refused by the CSP)."""
    return HttpResponse(services.stylesheet(services.all_brands()), content_type="text/css; charset=utf-8")

from functools import wraps

from django.conf import settings
from django.utils.cache import patch_cache_control, patch_vary_headers


def public_page(view):
    """Let browsers and proxies keep an anonymous visitor's copy of a public page for a while;
    an organiser (who may see drafts and previews) always gets a private, fresh copy."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        elif response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_CACHE_SECONDS)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper

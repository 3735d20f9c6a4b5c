"""Django's LocaleMiddleware, with the path's language looked up once per path.

Django's middleware asks `get_language_from_path` three times a request (and its
`get_language_from_request` reads the cookie and Accept-Language only to be overruled): with
English unprefixed (`prefix_default_language=False`) a page's language is its path's prefix or
English, so the answer is `core.languages.language_of_path`, remembered per path. Other URL
set-ups (a prefixed default language) get Django's own behaviour.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .languages import language_of_path


def _unprefixed_default(request) -> bool:
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
    return i18n_patterns_used and not prefixed_default_language


class PathLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if not _unprefixed_default(request):
            return super().process_request(request)
        translation.activate(language_of_path(request.path_info) or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if not _unprefixed_default(request):
            return super().process_response(request, response)
        if not language_of_path(request.path_info):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

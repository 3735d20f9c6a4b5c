"""The cheaper LocaleMiddleware gives the language and headers Django's own would give."""

import pytest
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.test import RequestFactory
from django.utils import translation

from clustertalks.core.path_language import PathLanguageMiddleware

PATHS = ["/", "/talks/some-talk/", "/fr/", "/fr/talks/some-talk/", "/pl/people/", "/mt/topics/",
         "/api/v1/talks", "/calendar/talks.ics", "/xx/talks/", "/french/", "/fr", "/en/talks/"]


def run(middleware_class, path, **headers):
    request = RequestFactory().get(path, **headers)
    middleware = middleware_class(lambda request: HttpResponse("page"))
    with translation.override("en"):
        response = middleware(request)
        return request.LANGUAGE_CODE, response.get("Vary"), response.get("Content-Language")


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("accept", ["", "de-DE,de;q=0.9", "fr"])
def test_the_same_language_and_headers_as_djangos_locale_middleware(path, accept):
    headers = {"HTTP_ACCEPT_LANGUAGE": accept} if accept else {}
    assert run(PathLanguageMiddleware, path, **headers) == run(LocaleMiddleware, path, **headers)


def test_a_prefixed_page_is_in_its_language():
    assert run(PathLanguageMiddleware, "/fr/talks/some-talk/")[::2] == ("fr", "fr")

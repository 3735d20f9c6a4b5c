"""Which language a visitor reads the site in, and the links to the other languages.

- A page's address says its language: `/fr/talks/...`; English has no prefix.
- On an English (unprefixed) page, a visitor who has not chosen yet is sent to their browser's
  language (`Accept-Language`) when it is offered; one who chose (the language cookie, set only
  by the switcher) is sent to their choice. Both answers carry `Vary: Accept-Language, Cookie`.
- The switcher's links carry `?language=xx`: the answer remembers the choice in the language
  cookie (functional, no identifier: see the privacy notice) and redirects to the clean address.

Sits after Django's LocaleMiddleware (which activated the path's language) and before the page
cache, so a cached English page is never handed to a visitor who should be redirected.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .languages import language_of_path

SWITCH_PARAMETER = "language"


def offered() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def offered_or_default(code: str | None) -> str:
    """The language to write an email in: the one it was asked in while the site offers it,
    else English (a link to /pl/... must never lead to a 404 once a catalogue is removed)."""
    return code if code in offered() else settings.LANGUAGE_CODE


def _prefixed(path: str) -> bool:
    return language_of_path(path) is not None


def preferred_language(request) -> str | None:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        return chosen if chosen in offered() else None
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in translation.trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            supported = translation.get_supported_language_variant(code)
        except LookupError:
            continue
        if supported in offered():
            return supported
    return None


def without_switch(request) -> str:
    query = request.GET
    if query:  # a copy without the switch's parameter (most pages have no query: no copy)
        query = query.copy()
        query.pop(SWITCH_PARAMETER, None)
    encoded = query.urlencode()
    return request.path + (f"?{encoded}" if encoded else "")


class LanguageChoiceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            redirect = self.redirect_for(request)
            if redirect is not None:
                return redirect
        response = self.get_response(request)
        if not _prefixed(request.path_info):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def redirect_for(self, request):
        switch = request.GET.get(SWITCH_PARAMETER)
        if switch is not None:
            if switch not in offered():
                return None
            response = HttpResponseRedirect(translate_url(without_switch(request), switch))
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, switch,
                max_age=settings.LANGUAGE_COOKIE_AGE, path="/",
                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=True,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
        if _prefixed(request.path_info) or len(offered()) < 2:
            return None
        language = preferred_language(request)
        if language is None or language == settings.LANGUAGE_CODE:
            return None
        target = translate_url(request.get_full_path(), language)
        if target == request.get_full_path():
            return None  # not a page with language versions (API, feeds, admin, media)
        response = HttpResponseRedirect(target)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


def alternates(request) -> list[tuple[str, str]]:
    """(language, path) of this page in every offered language, English first; empty for an
    address that has no language versions. Kept on the request: the head's hreflang links and
    the switcher both ask."""
    match = getattr(request, "resolver_match", None)
    kept = getattr(request, "_language_alternates", None)
    if kept is None or kept[0] is not match:  # the view is known only once the URL is resolved
        kept = request._language_alternates = (match, _alternates(request))
    return kept[1]


def _alternates(request) -> list[tuple[str, str]]:
    match = getattr(request, "resolver_match", None)
    if match is None or not match.view_name:
        return []
    return language_paths(match.view_name, match.args, match.kwargs)


def language_paths(view_name: str, args=(), kwargs=None) -> list[tuple[str, str]]:
    """`_language_paths`, kept per view, arguments, offered languages, script prefix and URL
    configuration (all an address depends on): the two reverse() calls under
    translation.override cost ~40 µs on every page, for an answer that never changes."""
    try:
        key = (view_name, tuple(args or ()), tuple(sorted((kwargs or {}).items())), tuple(offered()),
               settings.LANGUAGE_CODE, get_script_prefix(), get_resolver(get_urlconf()))
        hash(key)
    except TypeError:  # an argument that is not hashable: worked out each time
        return _language_paths(view_name, args, kwargs)
    paths = _kept_paths.get(key)
    if paths is None:
        if len(_kept_paths) >= MAX_KEPT_PATHS:
            _kept_paths.clear()
        paths = _kept_paths[key] = _language_paths(view_name, args, kwargs)
    return list(paths)


MAX_KEPT_PATHS = 4096
_kept_paths: dict = {}


def _language_paths(view_name: str, args=(), kwargs=None) -> list[tuple[str, str]]:
    """(language, reverse(view_name) in that language) for every offered language, or [] when
    the address is the same in every language (not under i18n_patterns) or does not reverse.

    No URL pattern is translated, so a page's addresses differ only by the language prefix
    (i18n_patterns, none for English): two reverse() calls (the default language and one
    other, to tell a page with language versions from one without) stand for the 24 a
    reverse() per language would cost. tests/core/test_languages.py checks the result against
    a reverse() per language for every page."""
    codes = offered()
    default = settings.LANGUAGE_CODE
    try:
        with translation.override(default):
            base = reverse(view_name, args=args, kwargs=kwargs)
        if len(codes) < 2:
            return [(code, base) for code in codes]
        other = next(code for code in codes if code != default)
        with translation.override(other):
            if reverse(view_name, args=args, kwargs=kwargs) == base:
                return []  # the same address in every language: not a page under i18n_patterns
    except NoReverseMatch:
        return []
    script_prefix = get_script_prefix()
    route = base[len(script_prefix):]
    return [(code, base if code == default else f"{script_prefix}{code}/{route}") for code in codes]


def switch_links(request) -> list[dict]:
    """The switcher's links: each language named in itself, to this page in that language."""
    paths = dict(alternates(request)) or dict(language_paths("talks:home"))
    current = translation.get_language()
    query = request.GET
    if query:  # a copy without the switch's parameter (most pages have no query: no copy)
        query = query.copy()
        query.pop(SWITCH_PARAMETER, None)
    links = []
    for code, name in settings.LANGUAGES:
        path = paths.get(code)
        if path is None:
            with translation.override(code):
                path = reverse("talks:home")
        links.append({
            "code": code, "name": name, "current": code == current,
            "url": f"{path}?{urlencode([*query.lists(), (SWITCH_PARAMETER, code)], doseq=True)}"
            if query else f"{path}?{SWITCH_PARAMETER}={code}",
        })
    return links

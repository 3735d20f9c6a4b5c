"""Django's `{% url %}` with its answers kept: a template builtin (settings.TEMPLATES) that
replaces the default tag in every template.

reverse() walks the URL resolver each time, ~20 µs; a page has 15–25 `{% url %}` tags, most of
them with the same answer on every page (the header, the footer, the feed links). The answer
depends only on the view name, the arguments, the URL configuration (its resolver object), the
script prefix, the active language (the /fr/ prefix) and the current application (namespaced
URLs), so it is kept under all of these. Only arguments that are plain strings or `int` values
are kept (a model instance could render differently once changed); anything else, and a name
that does not reverse, goes through Django's own tag unchanged.
"""

from django import template
from django.template.defaulttags import URLNode, url as django_url
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()

MAX_KEPT = 4096
_kept: dict = {}


def _plain(value) -> bool:
    kind = type(value)
    return kind is str or kind is SafeString or kind is int  # a literal in a template is safe


def kept_reverse(view_name, args, kwargs, current_app):
    """reverse(), kept; None when the arguments are not plain values (the caller reverses)."""
    if not (_plain(view_name) and all(map(_plain, args)) and all(map(_plain, kwargs.values()))):
        return None
    key = (view_name, tuple(args), tuple(sorted(kwargs.items())), current_app,
           get_resolver(get_urlconf()), get_script_prefix(), get_language())
    found = _kept.get(key)
    if found is None:
        found = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[key] = found
    return found


class KeptURLNode(URLNode):
    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        if current_app is not None and not _plain(current_app):
            return super().render(context)
        try:
            url = kept_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            url = None  # Django's tag raises NoReverseMatch, or returns "" with `as`
        if url is None:
            return super().render(context)
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)

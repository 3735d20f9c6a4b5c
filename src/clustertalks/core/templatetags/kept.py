"""Parts of a template rendered once per language and kept in the process.

    {% load kept %}{% kept_per_language %}...{% end_kept_per_language %}

For markup that depends on nothing but the active language: translations, `{% url %}` of
fixed names, `{% static %}`, LANGUAGE_CODE (the page footer, the stylesheet links). The first
render in a language is kept, keyed by the node itself (a template edited in development is
parsed into new nodes, so it renders afresh), the language, the script prefix, the URL
configuration and the current application (namespaced `{% url %}`). Never put the request, the
visitor, the brand, the page's objects or anything the database holds inside: they would be
frozen at their first value.
"""

from django import template
from django.urls import get_resolver, get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

MAX_KEPT = 1024
_kept: dict = {}


def _current_app(context):
    request = getattr(context, "request", None)
    try:
        return request.current_app
    except AttributeError:
        try:
            return request.resolver_match.namespace
        except AttributeError:
            return None


class KeptPerLanguageNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        key = (self, get_language(), get_script_prefix(), get_resolver(get_urlconf()), _current_app(context))
        html = _kept.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_kept) >= MAX_KEPT:
                _kept.clear()
            _kept[key] = html
        return html


@register.tag
def kept_per_language(parser, token):
    nodelist = parser.parse(("end_kept_per_language",))
    parser.delete_first_token()
    return KeptPerLanguageNode(nodelist)

"""Django's `i18n` template library with `{% translate %}` of a fixed text kept per language:
the project's template backend (core/template_backend.py) loads it for `{% load i18n %}`; every
other tag and filter is Django's own.

A `{% translate "Talks" %}` resolves a lazy translation, casts it, localizes and escapes it on
every render (~8 µs; a talk page has ~40). When the text is a literal without filters, and its
context (if any) a literal too, the answer depends only on the active language and on
autoescaping, so the node keeps it under these two. A variable, or a filter, is rendered by
Django's node each time.
"""

from django import template
from django.templatetags import i18n as django_i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


def _literal(expression) -> bool:
    var = getattr(expression, "var", None)
    return (not expression.filters and isinstance(var, template.Variable) and var.lookups is None)


class KeptTranslateNode(django_i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        self.fixed = _literal(self.filter_expression) and (message_context is None or _literal(message_context))
        self.kept = {}

    def render(self, context):
        if not self.fixed:
            return super().render(context)
        key = (get_language(), context.autoescape)
        value = self.kept.get(key)
        if value is None:
            if self.asvar:  # Django's node puts it in the context: take it from there
                super().render(context)
                value = context[self.asvar]
            else:
                value = super().render(context)
            if len(self.kept) < 256:
                self.kept[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = django_i18n.do_translate(parser, token)
    return KeptTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)

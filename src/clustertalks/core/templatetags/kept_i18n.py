"""Django's `i18n` template library with `{% translate %}` of a fixed text kept per language, and
`{% blocktranslate %}` with its message worked out once and its translation kept per language:
the project's template backend (core/template_backend.py) loads it for `{% load i18n %}`; every
other tag and filter is Django's own.

A `{% translate "Talks" %}` resolves a lazy translation, casts it, localizes and escapes it on
every render (~8 µs; a talk page has ~40). When the text is a literal without filters, and its
context (if any) a literal too, the answer depends only on the active language and on
autoescaping, so the node keeps it under these two. A variable, or a filter, is rendered by
Django's node each time.

A `{% blocktranslate %}` joins its tokens into the message id, looks up the translation, pushes
a context and localizes its variables on every render (~15-25 µs; a talk page has about ten).
The message id depends only on the template, and its translation only on the language (and,
with `count`, the number): those are kept; the variables are rendered each time, as Django
renders them. With a message context, `asvar`, or anything unusual (a variable not in the
context, a translation that does not fit), Django's node renders it.
"""

from decimal import Decimal


from django import template
from django.template.base import render_value_in_context
from django.templatetags import i18n as django_i18n
from django.utils import translation
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


COUNT = object()  # the count's key among the rendered variables (no variable's name)


class KeptBlockTranslateNode(django_i18n.BlockTranslateNode):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.singular_id, singular_vars = self.render_token_list(self.singular)
        self.counted = bool(self.plural and self.countervar and self.counter)
        self.plural_id, plural_vars = self.render_token_list(self.plural) if self.counted else ("", [])
        self.variables = tuple(dict.fromkeys([*singular_vars, *plural_vars]))
        self.kept = {}

    def render(self, context, nested=False):
        if nested or self.message_context or self.asvar:
            return super().render(context, nested)
        data = self.variables_in(context)
        if data is not None:
            try:
                return self.translation(data.pop(COUNT)) % data
            except (KeyError, ValueError):
                pass
        return super().render(context)  # Django's node: its fallback, or its error

    def variables_in(self, context) -> dict | None:
        """The variables rendered as Django renders them (within the `with` values and the
        count, pushed on the context), and the count under COUNT; None when Django's node must
        answer (a count that is not a number, a variable the context does not hold)."""
        context.update({var: val.resolve(context) for var, val in self.extra_context.items()})
        try:
            data = {COUNT: None}
            if self.counted:
                count = self.counter.resolve(context)
                if not isinstance(count, (Decimal, float, int)):
                    return None
                context[self.countervar] = data[COUNT] = count
            for name in self.variables:
                if name not in context:
                    return None
                data[name] = render_value_in_context(context[name], context)
            return data
        finally:
            context.pop()

    def translation(self, count) -> str:
        key = (get_language(), count)
        found = self.kept.get(key)
        if found is None:
            if self.counted:
                found = translation.ngettext(self.singular_id, self.plural_id, count)
            else:
                found = translation.gettext(self.singular_id)
            if len(self.kept) < 256:
                self.kept[key] = found
        return found


@register.tag("blocktranslate")
@register.tag("blocktrans")
def do_block_translate(parser, token):
    node = django_i18n.do_block_translate(parser, token)
    return KeptBlockTranslateNode(
        node.extra_context, node.singular, node.plural, node.countervar, node.counter,
        node.message_context, node.trimmed, node.asvar, node.tag_name,
    )

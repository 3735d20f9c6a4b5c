from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from clustertalks.core.markdown import plain_excerpt, render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def excerpt(text: str, length: int = 200) -> str:
    return plain_excerpt(text, int(length))


@register.simple_tag
def page_url(querystring, page_number):
    """The current query string with another page number."""
    params = querystring.copy()
    params["page"] = page_number
    return "?" + params.urlencode()


@register.simple_tag
def select_options(choices, chosen_value=None):
    """<option> elements for (value, label) pairs; long lists render much faster than a loop
    in the template."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == chosen_value else "", label) for value, label in choices),
    )

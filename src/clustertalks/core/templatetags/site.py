from django import template
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

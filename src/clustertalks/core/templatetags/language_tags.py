"""The language switcher and the hreflang alternates of every page (core.language_choice)."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string

from clustertalks.core.language_choice import alternates, switch_links

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """<link rel="alternate" hreflang> for this page in every offered language, and x-default."""
    request = context.get("request")
    paths = alternates(request) if request is not None else []
    if len(paths) < 2:
        return ""
    return render_to_string("core/_language_alternates.html", {
        "paths": paths, "SITE_URL": settings.SITE_URL, "default_path": dict(paths)[settings.LANGUAGE_CODE],
    })


@register.simple_tag(takes_context=True)
def language_switcher(context):
    request = context.get("request")
    if request is None or len(settings.LANGUAGES) < 2:
        return ""
    links = switch_links(request)
    current_name = next((link["name"] for link in links if link["current"]), links[0]["name"])
    return render_to_string("core/_language_switcher.html", {"links": links, "current_name": current_name})

"""Hooks of the feeds room in the public pages (filled in by the open formats issue)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def site_head_links(context):
    """<link rel=alternate> for the site-wide feeds, in every page's <head>."""
    return ""


@register.simple_tag(takes_context=True)
def talk_head_meta(context, talk):
    """Structured data and share-image meta tags for a talk page's <head>."""
    return ""


@register.simple_tag(takes_context=True)
def subscribe_links(context, series=None, topic=None):
    """Calendar subscription and feed links for all talks, a series or a topic."""
    return ""

"""Hooks of the materials room in the public pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def talk_materials(context, talk):
    """Recording, transcript, slides, summary and takeaways on the talk page."""
    return ""


@register.simple_tag(takes_context=True)
def latest_recordings(context):
    """The latest recordings, on the home page."""
    return ""


@register.simple_tag(takes_context=True)
def person_takeaways(context, person):
    return ""


@register.simple_tag(takes_context=True)
def topic_takeaways(context, topic):
    return ""

"""Hooks of the registrations room in the public pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def registration_panel(context, talk):
    """The registration form or state for a talk, on its page."""
    return ""

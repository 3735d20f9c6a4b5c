"""Dates and numbers in the page's language (core/localdates.py): {% load locale_tags %}
{{ talk.local_start|local_date }}, {{ talk.local_start|local_date:"long" }}, {{ n|local_number }}."""

from django import template

from clustertalks.core import localdates

register = template.Library()


@register.filter
def local_date(value, style="full"):
    return localdates.day(value, style) if value else ""


@register.filter
def local_time(value):
    return localdates.clock(value) if value else ""


@register.filter
def local_number(value):
    return localdates.number(value) if value not in (None, "") else ""

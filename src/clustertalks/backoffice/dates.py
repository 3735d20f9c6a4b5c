"""Dates and times as the back office shows them: "Wed 9 Dec 2026, 08:30 CET".

The instant is shown in the current time zone (the back office's, or the series' zone that the
talk form activates) with the abbreviation the date itself has (CET in winter, CEST in
summer). Only the admin's own display functions are wrapped: the site-wide date formats, which
public pages use, stay as they are.
"""

import datetime as dt

from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext_lazy

# Django's date-format letters: D = "Wed", j = "9", M = "Dec" (translated), Y, H:i.
DATETIME_FORMAT = pgettext_lazy("back-office date and time, Django date format", "D j M Y, H:i")
DATE_FORMAT = pgettext_lazy("back-office date, Django date format", "D j M Y")

_original_for_field = utils.display_for_field
_original_for_value = utils.display_for_value


def back_office_datetime(value: dt.datetime, zone=None) -> str:
    """An aware instant in `zone` (default: the current zone) with its abbreviation."""
    local = timezone.localtime(value, zone) if timezone.is_aware(value) else value
    abbreviation = local.tzname() or ""
    return f"{date_format(local, str(DATETIME_FORMAT))} {abbreviation}".strip()


def back_office_date(value: dt.date) -> str:
    return date_format(value, str(DATE_FORMAT))


def readable(value):
    """Our wording for a date or an instant; None for anything else."""
    if isinstance(value, dt.datetime):
        return back_office_datetime(value)
    if isinstance(value, dt.date):
        return back_office_date(value)
    return None


def display_for_field(value, field, empty_value_display, *args, **kwargs):
    shown = readable(value)
    return shown if shown is not None else _original_for_field(value, field, empty_value_display, *args, **kwargs)


def display_for_value(value, empty_value_display, *args, **kwargs):
    shown = readable(value)
    return shown if shown is not None else _original_for_value(value, empty_value_display, *args, **kwargs)


def install() -> None:
    """Point the change list and the read-only fields at our display functions (they import
    Django's by name, so each module is set)."""
    for module in (admin_list, helpers):
        module.display_for_field = display_for_field
        if hasattr(module, "display_for_value"):
            module.display_for_value = display_for_value

"""The period a statistics page or a dossier covers, chosen with a GET form (year or from/to)."""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None

    def bounds(self):
        """Aware datetimes [low, high) in the site's zone; None for an open side."""
        zone = timezone.get_default_timezone()
        low = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone) if self.start else None
        high = (dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
                if self.end else None)
        return low, high

    @property
    def label(self) -> str:
        if self.start and self.end:
            if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31) \
                    and self.start.year == self.end.year:
                return str(self.start.year)
            return f"{self.start.isoformat()} – {self.end.isoformat()}"
        if self.start:
            return str(_("since %(date)s") % {"date": self.start.isoformat()})
        if self.end:
            return str(_("until %(date)s") % {"date": self.end.isoformat()})
        return str(_("all time"))


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    date_from = forms.DateField(label=_("From"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data

    def period(self) -> Period:
        if not self.is_valid():
            return Period()
        data = self.cleaned_data
        if data.get("year"):
            return Period(dt.date(data["year"], 1, 1), dt.date(data["year"], 12, 31))
        return Period(data.get("date_from"), data.get("date_to"))


def period_from(query) -> tuple[PeriodForm, Period]:
    params = {"year": query.get("year", ""), "date_from": query.get("from", ""),
              "date_to": query.get("to", "")}
    form = PeriodForm({k: v[:20] for k, v in params.items()})
    return form, form.period()

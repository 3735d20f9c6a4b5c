import functools

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from clustertalks.core.timezones import zone_choices
from clustertalks.people.models import Organisation

from . import services


@functools.cache
def _zones() -> tuple:
    return tuple(zone_choices())


def country_choices() -> list:
    """Evaluated when the field renders or validates, so names follow the active language."""
    return [("", "—"), *countries]


def zone_options() -> list:
    return [("", _("Same as the series")), *_zones()]


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"), choices=[("", "—"), *Organisation.Kind.choices]
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices)
    position = forms.CharField(label=_("Position"), max_length=200)
    time_zone = forms.ChoiceField(label=_("Your time zone"), required=False, choices=zone_options)
    consent = forms.BooleanField(label=_("I agree to the processing of these data"))
    newsletter = forms.BooleanField(
        label=_("Send me the newsletter of the series (optional)"), required=False
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, policy, series_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.fields["time_zone"].help_text = _(
            "Optional: your emails then also give the time where you are. The series' time "
            "zone is %(zone)s.") % {"zone": series_zone}
        self.fields["consent"].help_text = format_html(
            '{} <a href="{}">{}</a>',
            _("We keep your registration to run the talk and delete your personal data after "
              "the retention period."),
            reverse("core:privacy"), _("Read the privacy notice"),
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["position"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["country"].widget.attrs["autocomplete"] = "country"

    def clean_country(self):
        code = self.cleaned_data["country"]
        if not services.is_eligible(self.policy, code):
            allowed = sorted(countries.name(c) for c in self.policy.eligible_codes())
            raise forms.ValidationError(
                _("Registration is open to participants from these countries only: %(list)s.")
                % {"list": ", ".join(str(name) for name in allowed)}
            )
        return code

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def attendee(self, language: str) -> services.Attendee:
        data = self.cleaned_data
        return services.Attendee(
            name=data["name"].strip(), email=data["email"], organisation=data["organisation"].strip(),
            organisation_type=data["organisation_type"], country=data["country"],
            position=data["position"].strip(), newsletter=data["newsletter"], language=language,
            time_zone=data["time_zone"],
        )



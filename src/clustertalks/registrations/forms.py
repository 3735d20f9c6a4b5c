import functools

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from clustertalks.core.timezones import zone_choices
from clustertalks.people.models import Organisation

from . import services
from .models import Registration
from .validators import (
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    tidy,
    validate_one_line,
    validate_person_name,
)


@functools.cache
def _zones() -> tuple:
    return tuple(zone_choices())


def country_choices() -> list:
    """Evaluated when the field renders or validates, so names follow the active language."""
    return [("", "—"), *countries]


def zone_options() -> list:
    return [("", _("Same as the series")), *_zones()]


@functools.cache
def _country_codes() -> frozenset:
    return frozenset(code for code, _name in countries)


@functools.cache
def _zone_names() -> frozenset:
    return frozenset(name for name, _label in _zones())


class KeyedChoiceField(forms.ChoiceField):
    """A choice field over a long, fixed list (about 250 countries, 400 time zones) that checks
    a submitted value against a set of the keys. Django's check walks and normalises the whole
    translated list on every submission, a sizeable share of a sign-up's CPU."""

    def __init__(self, *, keys, **kwargs):
        super().__init__(**kwargs)
        self.keys = keys

    def valid_value(self, value) -> bool:
        return str(value) in self.keys()


def name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Full name"), max_length=NAME_MAX_LENGTH, validators=[validate_person_name],
        help_text=_("As it should appear on your invitation. Your name only: no web addresses."),
    )


def text_field(label) -> forms.CharField:
    return forms.CharField(label=label, max_length=TEXT_MAX_LENGTH, validators=[validate_one_line])


def objection_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=_("I do not want to appear in the recording (optional)"), required=False,
        help_text=_("The talk may be recorded and published. Tick this and the organisers will "
                    "keep your voice, image and name out of it, for example by reading out your "
                    "questions instead of giving you the floor."),
    )


class TidyTextMixin:
    """One space between words in every free-text field (validated before tidying, so a line
    break is refused, not quietly turned into a space)."""

    tidy_fields = ("name", "organisation", "position")

    def _post_clean(self):
        for field in self.tidy_fields:
            if isinstance(self.cleaned_data.get(field), str):
                self.cleaned_data[field] = tidy(self.cleaned_data[field])
        super()._post_clean()


class RegistrationForm(TidyTextMixin, forms.Form):
    name = name_field()
    email = forms.EmailField(label=_("Email address"), max_length=254)
    organisation = text_field(_("Organisation"))
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"), choices=[("", "—"), *Organisation.Kind.choices]
    )
    country = KeyedChoiceField(label=_("Country"), choices=country_choices, keys=_country_codes)
    position = text_field(_("Position"))
    time_zone = KeyedChoiceField(label=_("Your time zone"), required=False, choices=zone_options,
                                 keys=_zone_names)
    consent = forms.BooleanField(label=_("I agree to the processing of these data"))
    newsletter = forms.BooleanField(
        label=_("Send me the newsletter of the series (optional)"), required=False
    )
    objects_to_recording = objection_field()
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
            name=data["name"], email=data["email"], organisation=data["organisation"],
            organisation_type=data["organisation_type"], country=data["country"],
            position=data["position"], newsletter=data["newsletter"], language=language,
            time_zone=data["time_zone"], objects_to_recording=data["objects_to_recording"],
        )


class DetailsForm(TidyTextMixin, forms.ModelForm):
    """What an attendee may change from the manage page. The address is not here: it is the
    one the links were sent to; registering again with another one is a new registration."""

    name = name_field()
    organisation = text_field(_("Organisation"))
    position = text_field(_("Position"))
    time_zone = KeyedChoiceField(label=_("Your time zone"), required=False, choices=zone_options,
                                 keys=_zone_names)
    objects_to_recording = objection_field()

    class Meta:
        model = Registration
        fields = ["name", "organisation", "position", "time_zone", "objects_to_recording"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"
        self.fields["position"].widget.attrs["autocomplete"] = "organization-title"



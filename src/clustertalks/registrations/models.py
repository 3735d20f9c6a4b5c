import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from clustertalks.people.models import Organisation

# The 27 member states of the European Union.
EU_MEMBER_STATES = (
    ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]
)
# The EU plus Iceland, Liechtenstein and Norway (the European Economic Area).
EEA_STATES = (*EU_MEMBER_STATES, "IS", "LI", "NO")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class RegistrationPolicy(models.Model):
    """How a series (or, overriding it entirely, one talk) takes registrations."""

    class Approval(models.TextChoices):
        AUTOMATIC = "automatic", _("Automatic")
        MANUAL = "manual", _("Manual, per person")

    class Eligibility(models.TextChoices):
        ALL = "all", _("All countries")
        EU = "eu", _("EU member states")
        EEA = "eea", _("European Economic Area")
        CUSTOM = "custom", _("The countries listed below")

    series = models.OneToOneField(
        "talks.Series", verbose_name=_("series"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="registration_policy",
    )
    talk = models.OneToOneField(
        "talks.Talk", verbose_name=_("talk (overrides its series)"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="registration_policy",
    )
    is_open = models.BooleanField(_("registration open"), default=True)
    closes_at = models.DateTimeField(
        _("closes at"), null=True, blank=True,
        help_text=_("Leave empty for the default: 23:59 the day before the talk, series time."),
    )
    approval = models.CharField(
        _("approval"), max_length=10, choices=Approval.choices, default=Approval.AUTOMATIC
    )
    eligibility = models.CharField(
        _("eligible countries"), max_length=10, choices=Eligibility.choices, default=Eligibility.ALL
    )
    countries = CountryField(_("listed countries"), multiple=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True,
        help_text=_("Places for approved attendees; further people join the waiting list. "
                    "Empty: no limit."),
    )
    reminders = models.CharField(
        _("reminders"), max_length=100, blank=True, default="24h,1h",
        help_text=_("When to remind approved attendees before the start, e.g. “24h,1h” or “2d,30m”. "
                    "Empty: no reminders."),
    )

    class Meta:
        verbose_name = _("registration policy")
        verbose_name_plural = _("registration policies")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(series__isnull=True) ^ models.Q(talk__isnull=True)),
                name="registration_policy_for_series_xor_talk",
            )
        ]

    def __str__(self) -> str:
        return str(self.talk or self.series or _("default policy"))

    def clean(self):
        if bool(self.series_id) == bool(self.talk_id):
            raise ValidationError(_("Choose a series or a talk, not both."))
        from .services import parse_offsets

        try:
            parse_offsets(self.reminders)
        except ValueError:
            raise ValidationError({"reminders": _("Write durations such as 24h, 1h, 2d or 30m, "
                                                  "separated by commas.")}) from None

    def eligible_codes(self) -> set[str] | None:
        """Country codes allowed to register, or None for every country."""
        if self.eligibility == self.Eligibility.EU:
            return set(EU_MEMBER_STATES)
        if self.eligibility == self.Eligibility.EEA:
            return set(EEA_STATES)
        if self.eligibility == self.Eligibility.CUSTOM:
            return {country.code for country in self.countries}
        return None


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        WAITLISTED = "waitlisted", _("On the waiting list")
        REJECTED = "rejected", _("Not accepted")
        CANCELLED = "cancelled", _("Cancelled")

    talk = models.ForeignKey(
        "talks.Talk", verbose_name=_("talk"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254, help_text=_("Stored in lower case."))
    organisation = models.CharField(_("organisation"), max_length=200)
    organisation_type = models.CharField(
        _("organisation type"), max_length=20, choices=Organisation.Kind.choices
    )
    country = CountryField(_("country"))
    position = models.CharField(_("position"), max_length=200)
    newsletter = models.BooleanField(_("wants the newsletter"), default=False)
    objects_to_recording = models.BooleanField(
        _("objects to being recorded"), default=False,
        help_text=_("The attendee asked not to appear (voice, image or name) in the recording."),
    )
    language = models.CharField(
        _("language"), max_length=8, default="en",
        help_text=_("The language of the page the registration was made on; its emails and "
                    "calendar invitations go out in it."),
    )
    time_zone = models.CharField(_("attendee's time zone"), max_length=64, blank=True)
    token = models.CharField(_("secret token"), max_length=64, unique=True, default=new_token)
    consented_at = models.DateTimeField(_("consented to the processing at"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(fields=["talk", "email"], name="one_registration_per_email")
        ]
        indexes = [models.Index(fields=["talk", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.APPROVED, self.Status.WAITLISTED}

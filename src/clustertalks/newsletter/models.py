"""Subscribers (double opt-in) and the digests sent to them."""

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced")
        COMPLAINED = "complained", _("Marked as spam")

    class Follow(models.TextChoices):
        SERIES = "series", _("The whole series")
        TOPICS = "topics", _("Only the topics I choose")
        RECORDINGS = "recordings", _("New recordings only")

    email = models.EmailField(_("email"), max_length=254, unique=True,
                              help_text=_("Stored in lower case."))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language of the emails"), max_length=8, default="en")
    follow = models.CharField(_("follows"), max_length=12, choices=Follow.choices,
                              default=Follow.SERIES)
    topics = models.ManyToManyField("talks.Topic", verbose_name=_("topics"), blank=True,
                                    related_name="subscribers")
    alerts = models.BooleanField(
        _("automatic alerts"), default=False,
        help_text=_("An email when a talk on a followed topic is announced, or a recording is out."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    token = models.CharField(_("secret token"), max_length=64, unique=True, default=new_token,
                             help_text=_("For the unsubscribe and preferences links."))
    source = models.CharField(_("signed up through"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    suppression_note = models.CharField(_("bounce or complaint"), max_length=250, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self) -> str:
        return self.email

    @property
    def receives_mail(self) -> bool:
        return self.status == self.Status.CONFIRMED


class Digest(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    series = models.ForeignKey("talks.Series", verbose_name=_("series"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="digests",
                               help_text=_("Empty: every series."))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    body = models.TextField(
        _("content"), blank=True,
        help_text=_("Markdown, proposed from the data (upcoming talks, new recordings with their "
                    "key takeaways); edit freely."),
    )
    topics = models.ManyToManyField(
        "talks.Topic", verbose_name=_("topics covered"), blank=True, related_name="digests",
        help_text=_("Subscribers who follow only some topics get the digest when one is here."),
    )
    has_recordings = models.BooleanField(_("announces new recordings"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletter:digest", args=[self.pk])

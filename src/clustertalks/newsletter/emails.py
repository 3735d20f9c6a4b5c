"""The newsletter's own emails: the confirmation, 'already subscribed', and alerts."""

from django.urls import reverse

from clustertalks.branding.services import site_identity
from clustertalks.core.links import absolute_url
from clustertalks.core.mail import render_email

from . import services


def _base_context(subscriber) -> dict:
    brand = site_identity()
    return {"SITE_NAME": brand.name, "BRAND": brand,
            "preferences_url": services.preferences_url(subscriber),
            "unsubscribe_url": services.unsubscribe_url(subscriber)}


def account_email(subscriber, kind: str) -> dict:
    context = _base_context(subscriber)
    if kind == "confirm":
        token = services.confirmation_token(subscriber)
        context["confirm_url"] = absolute_url(reverse("newsletter:confirm", args=[token]))
        context["days"] = services.confirm_days()
    return render_email(f"newsletter/email/{kind}", context, subscriber.language)


def alert_email(subscriber, kind: str, talk) -> dict:
    context = {**_base_context(subscriber), "talk": talk,
               "talk_url": absolute_url(talk.get_absolute_url())}
    return render_email(f"newsletter/email/alert_{kind}", context, subscriber.language)

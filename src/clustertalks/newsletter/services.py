"""Subscribing with double opt-in, confirming, preferences, unsubscribing, suppression.

Nothing but the confirmation email goes to an address until it is confirmed; the answer to a
sign-up is the same whether or not the address is known; every email carries a one-click
unsubscribe (RFC 8058) bound to the subscriber's own secret token.
"""

import datetime as dt
import re

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clustertalks.core import mail
from clustertalks.core.links import absolute_url

from .models import Subscriber

CONFIRM_SALT = "newsletter.confirm"
# Control characters (CR/LF above all: header injection) have no place in a name or an address.
CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
MAX_EMAIL, MAX_NAME = 254, 200


class SignupRefused(ValueError):
    """The sign-up input is unusable; the message says why, ready to show."""


def confirm_days() -> int:
    return int(getattr(settings, "NEWSLETTER_CONFIRM_DAYS", 7))


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def clean_email(value) -> str:
    email = str(value or "").strip().lower()
    if not email or len(email) > MAX_EMAIL or CONTROL.search(email):
        raise SignupRefused(_("Enter a valid email address."))
    try:
        validate_email(email)
    except ValidationError:
        raise SignupRefused(_("Enter a valid email address.")) from None
    return email


def clean_name(value) -> str:
    name = str(value or "").strip()
    if len(name) > MAX_NAME:
        raise SignupRefused(_("The name is too long (at most 200 characters)."))
    if CONTROL.search(name) or any(c in name for c in "<>\"@"):
        raise SignupRefused(_("The name contains characters that cannot be used."))
    return name


def clean_language(value) -> str:
    language = str(value or "").strip() or settings.LANGUAGE_CODE
    if language not in language_codes():
        raise SignupRefused(_("This language is not available."))
    return language


def subscribe(email, name="", language="", follow=Subscriber.Follow.SERIES, topic_ids=(),
              alerts=False, source="form", now=None) -> None:
    """Record a sign-up and send the confirmation. Returns nothing on purpose: the caller must
    answer the same whatever the address's state (nobody learns who is subscribed)."""
    email, name, language = clean_email(email), clean_name(name), clean_language(language)
    if follow not in Subscriber.Follow.values:
        raise SignupRefused(_("Choose what to follow."))
    now = now or timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"name": name, "language": language, "source": source})
        if subscriber.status in (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED):
            return  # suppressed: this address gets nothing any more
        if subscriber.status == Subscriber.Status.CONFIRMED:
            _queue(subscriber, "already", dedupe=f"newsletter:already:{subscriber.pk}:{now:%Y%m%d}")
            return
        subscriber.name = name or subscriber.name
        subscriber.language, subscriber.follow, subscriber.alerts = language, follow, bool(alerts)
        subscriber.status, subscriber.consented_at = Subscriber.Status.PENDING, now
        subscriber.source = subscriber.source or source
        subscriber.save()
        subscriber.topics.set(_topics(topic_ids))
        # At most one confirmation per address and hour: the form cannot be used to flood a box.
        _queue(subscriber, "confirm", dedupe=f"newsletter:confirm:{subscriber.pk}:{now:%Y%m%d%H}")


def subscribe_from_registration(registration) -> None:
    """The registration form's opt-in: a pending subscriber who gets the double opt-in email."""
    if not registration.newsletter:
        return
    try:
        subscribe(registration.email, registration.name, registration.language or "",
                  source="registration")
    except SignupRefused:
        pass  # the registration itself stands; an unusable name only skips the newsletter


def confirmation_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, subscriber.email], salt=CONFIRM_SALT, compress=True)


def confirm(token: str, now=None) -> Subscriber | None:
    """Confirm the address the link was made for; None when the link is wrong or expired."""
    try:
        pk, email = signing.loads(token, salt=CONFIRM_SALT,
                                  max_age=dt.timedelta(days=confirm_days()))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    subscriber = Subscriber.objects.filter(pk=pk, email=email).first()
    if subscriber is None:
        return None
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = now or timezone.now()
        subscriber.save(update_fields=["status", "confirmed_at"])
    return subscriber if subscriber.status == Subscriber.Status.CONFIRMED else None


def by_token(token: str) -> Subscriber | None:
    if not token or len(token) > 64:
        return None
    return Subscriber.objects.filter(token=token).first()


def unsubscribe(subscriber: Subscriber, now=None) -> None:
    if subscriber.status in (Subscriber.Status.PENDING, Subscriber.Status.CONFIRMED):
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = now or timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])


def record_suppression(email: str, kind: str, note: str = "") -> bool:
    """A bounce or a complaint: no further mail to that address. Returns whether it was known."""
    status = {"bounce": Subscriber.Status.BOUNCED, "bounced": Subscriber.Status.BOUNCED,
              "complaint": Subscriber.Status.COMPLAINED,
              "complained": Subscriber.Status.COMPLAINED}.get(str(kind).strip().lower())
    if status is None:
        raise SignupRefused(_("The kind must be “bounce” or “complaint”."))
    try:
        email = clean_email(email)
    except SignupRefused:
        return False
    return bool(Subscriber.objects.filter(email=email).update(
        status=status, suppression_note=CONTROL.sub(" ", str(note))[:250]))


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("newsletter:unsubscribe", args=[subscriber.token]))


def preferences_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("newsletter:preferences", args=[subscriber.token]))


def list_headers(unsubscribe: str) -> dict:
    """RFC 2369 + RFC 8058: mail clients show an unsubscribe button that POSTs to the link."""
    return {"List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _queue(subscriber: Subscriber, kind: str, dedupe: str) -> None:
    from . import emails

    message = emails.account_email(subscriber, kind)
    mail.queue_email(to=subscriber.email, kind=f"newsletter:{kind}", dedupe_key=dedupe,
                     headers=list_headers(unsubscribe_url(subscriber)), **message)


def update_preferences(subscriber: Subscriber, *, follow, topic_ids, alerts, language) -> None:
    subscriber.follow = follow
    subscriber.alerts = bool(alerts)
    subscriber.language = clean_language(language)
    subscriber.save(update_fields=["follow", "alerts", "language"])
    subscriber.topics.set(_topics(topic_ids))


def _topics(topic_ids):
    from clustertalks.talks.models import Topic

    ids = [int(i) for i in topic_ids if str(i).isdigit() and 0 < int(i) < 2**31][:100]
    return list(Topic.objects.filter(pk__in=ids))


def allow_signup(request, email: str) -> bool:
    """Whether this valid sign-up may go ahead: the registration form's limits (per visitor,
    read through the trusted proxies, and per address, per window), counted apart from
    registrations. Only valid submissions count, so typing errors use up nobody's places."""
    from django.conf import settings

    from clustertalks.core import ratelimit
    from clustertalks.core.clientip import client_bucket

    window = settings.REGISTRATION_RATE_WINDOW
    return (ratelimit.hit("newsletter:client", client_bucket(request),
                          settings.REGISTRATION_RATE_LIMIT, window)
            and ratelimit.hit("newsletter:email", (email or "").strip().lower(),
                              settings.REGISTRATION_RATE_LIMIT_PER_EMAIL, window))

"""Webhooks: when a domain event happens, every active endpoint subscribed to it gets a signed
JSON POST, delivered by the task worker, retried with exponential backoff, and logged.

Signature: ``X-Clustertalks-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the
endpoint's secret>``. The body is the same on every attempt; ``X-Clustertalks-Delivery`` (the
delivery id) lets a receiver ignore a delivery it has already processed.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

Event = WebhookEndpoint.Event
TIMEOUT_SECONDS = 10
# While one worker is sending, no other may pick the same delivery up.
LEASE = dt.timedelta(minutes=2)
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)


def max_attempts() -> int:
    return getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 8)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """What a receiver does (documented in docs/api.md)."""
    return hmac.compare_digest(sign(secret, body), signature or "")


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8... minutes after the 1st, 2nd, 3rd... failed attempt, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


# ---------------------------------------------------------------------------- recording


def record_event(event: str, data: dict) -> list[WebhookDelivery]:
    """One delivery per active endpoint subscribed to `event`, each sent by a task."""
    endpoints = [endpoint for endpoint in WebhookEndpoint.objects.filter(active=True) if endpoint.wants(event)]
    if not endpoints:
        return []
    event_id = uuid.uuid4()
    payload = {
        "id": str(event_id),
        "event": event,
        "created_at": timezone.now().isoformat(),
        "data": json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
    }
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint, event=event, event_id=event_id, payload=payload, next_attempt_at=timezone.now()
        )
        for endpoint in endpoints
    ]
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: enqueue(pk))
    return deliveries


def enqueue(delivery_id: int, run_after: dt.datetime | None = None) -> None:
    from .tasks import deliver_webhook

    task = deliver_webhook
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # picked up by retry_due_deliveries instead
        task = task.using(run_after=run_after)
    task.enqueue(delivery_id)


# ---------------------------------------------------------------------------- delivering


def claim(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    """Take the delivery for one attempt, unless it is done, given up, not due, or taken."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    taken = WebhookDelivery.objects.filter(
        due, pk=delivery_id, status=WebhookDelivery.Status.PENDING
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    if not taken:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def attempt(delivery_id: int, now: dt.datetime | None = None) -> WebhookDelivery | None:
    """One attempt at delivering; returns the delivery, or None when there was nothing to do."""
    now = now or timezone.now()
    delivery = claim(delivery_id, now)
    if delivery is None:
        return None
    status_code, error = send(delivery)
    delivery.last_status_code = status_code
    delivery.last_error = error[:500]
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts >= max_attempts():
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "last_status_code", "last_error"])
    if delivery.status == WebhookDelivery.Status.PENDING:
        enqueue(delivery.pk, run_after=delivery.next_attempt_at)
    return delivery


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: a delivery goes to the registered address only."""

    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def send(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the signed payload; return (HTTP status or None, error text)."""
    url = delivery.endpoint.url
    if urlsplit(url).scheme not in {"http", "https"}:
        return None, "Only http and https addresses are allowed."
    body = body_of(delivery)
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "User-Agent": "clustertalks-webhooks/1",
        "X-Clustertalks-Event": delivery.event,
        "X-Clustertalks-Delivery": str(delivery.pk),
        "X-Clustertalks-Timestamp": str(int(timezone.now().timestamp())),
        "X-Clustertalks-Signature": sign(delivery.endpoint.secret, body),
    })
    try:
        with OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc)) or type(exc).__name__


def retry_due_deliveries(now: dt.datetime | None = None) -> int:
    """Attempt every waiting delivery that is due (for backends that cannot defer a task, and
    after a worker was down). Returns how many were attempted."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(due) if attempt(pk, now) is not None)


def retry_now(deliveries) -> int:
    """The admin's "retry" action: given-up or waiting deliveries get one more attempt."""
    pks = list(deliveries.exclude(status=WebhookDelivery.Status.DELIVERED).values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=pks).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now()
    )
    for pk in pks:
        transaction.on_commit(lambda pk=pk: enqueue(pk))
    return len(pks)


# ---------------------------------------------------------------------------- events


def talk_data(talk) -> dict:
    from .schemas import TalkSummaryOut

    talk = type(talk).objects.select_related("series", "event_type").prefetch_related(
        "topics", "participations__person", "participations__organisation"
    ).get(pk=talk.pk)
    return {"talk": TalkSummaryOut.from_orm(talk).model_dump(mode="json")}


def on_talk_published(sender, talk, **kwargs):
    record_event(Event.TALK_PUBLISHED, talk_data(talk))


def on_talk_changed(sender, talk, changed=(), **kwargs):
    record_event(Event.TALK_UPDATED, {**talk_data(talk), "changed": sorted(changed)})


def on_talk_cancelled(sender, talk, **kwargs):
    record_event(Event.TALK_CANCELLED, talk_data(talk))


def on_materials_published(sender, talk, **kwargs):
    record_event(Event.MATERIALS_PUBLISHED, talk_data(talk))


def on_registration_created(sender, registration, **kwargs):
    """No personal data leaves: only that a registration exists, and for which talk."""
    talk = getattr(registration, "talk", None)
    data = {"registration": {"id": registration.pk, "status": str(getattr(registration, "status", ""))}}
    if talk is not None:
        data["talk"] = {"slug": talk.slug, "title": talk.title}
    record_event(Event.REGISTRATION_CREATED, data)


def connect() -> None:
    from clustertalks.core import events

    events.talk_published.connect(on_talk_published, dispatch_uid="api.webhooks.talk_published")
    events.talk_changed.connect(on_talk_changed, dispatch_uid="api.webhooks.talk_changed")
    events.talk_cancelled.connect(on_talk_cancelled, dispatch_uid="api.webhooks.talk_cancelled")
    events.materials_published.connect(on_materials_published, dispatch_uid="api.webhooks.materials_published")
    events.registration_created.connect(on_registration_created, dispatch_uid="api.webhooks.registration_created")

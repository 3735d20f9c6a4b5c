"""Webhooks: when a domain event happens, every active endpoint subscribed to it gets a JSON POST
signed the Standard Webhooks way (https://www.standardwebhooks.com/), sent by the delivery
engine (core/delivery.py): claimed one at a time, retried with exponential backoff, logged.

Headers: ``webhook-id`` (the event's id: the same on every retry, so a receiver processes it
once), ``webhook-timestamp`` (Unix time of this attempt, so a receiver refuses old replays) and
``webhook-signature`` (``v1,<base64 HMAC-SHA256 of "id.timestamp.body">``, keyed with the
endpoint's ``whsec_`` secret). Requests time out (WEBHOOK_TIMEOUT) and never go to a local or
private network address unless the host is in WEBHOOK_ALLOWED_HOSTS (core/outbound.py).
"""

import datetime as dt
import json
import logging
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from clustertalks.core import delivery, outbound
from clustertalks.core.pagecache import bump_public_generation, per_generation

from .models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

Event = WebhookEndpoint.Event
# While one worker is sending, no other may pick the same delivery up (see delivery.lease()).
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)
# 1, 2, 4, 8... minutes after the 1st, 2nd, 3rd... failed attempt, at most 6 hours.
retry_delay = delivery.exponential_backoff(FIRST_RETRY, LONGEST_WAIT)


def max_attempts() -> int:
    return getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 8)


def timeout() -> float:
    return getattr(settings, "WEBHOOK_TIMEOUT", 10)


def allowed_hosts() -> list[str]:
    return list(getattr(settings, "WEBHOOK_ALLOWED_HOSTS", []))


def signer(secret: str) -> Webhook:
    """`whsec_<base64>` secrets are the standard's; older plain secrets sign with their bytes."""
    if secret.startswith("whsec_"):
        return Webhook(secret)
    return Webhook(secret.encode())


def signed_headers(secret: str, message_id: str, body: bytes, at: dt.datetime) -> dict:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signer(secret).sign(message_id, at, body.decode()),
    }


def verify(secret: str, body: bytes, headers: dict) -> dict:
    """What a receiver does (docs/api.md): the parsed payload, or WebhookVerificationError."""
    return signer(secret).verify(body, headers)


# ---------------------------------------------------------------------------- recording


def subscribers(event: str) -> list[int]:
    """The ids of the active endpoints subscribed to `event`. Every sign-up sends an event, and
    most sites have no endpoint at all: the subscriptions are read once per content generation
    (pagecache.per_generation), and any write to an endpoint bumps the generation (connect()),
    so a new, changed or switched-off endpoint counts from the next event on, in every process."""
    return per_generation("webhook-subscriptions", _read_subscriptions).get(event, [])


def _read_subscriptions() -> dict[str, list[int]]:
    subscribed: dict[str, list[int]] = {}
    for endpoint in WebhookEndpoint.objects.filter(active=True).order_by("pk"):
        for event in Event.values:
            if endpoint.wants(event):
                subscribed.setdefault(event, []).append(endpoint.pk)
    return subscribed


def record_event(event: str, data: dict) -> list[WebhookDelivery]:
    """One delivery per active endpoint subscribed to `event`, each sent by a task."""
    endpoint_ids = subscribers(event)
    if not endpoint_ids:
        return []
    event_id = uuid.uuid4()
    payload = {
        "type": event,
        "timestamp": timezone.now().isoformat(),
        "data": json.loads(json.dumps(data, cls=DjangoJSONEncoder)),
    }
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint_id=endpoint_id, event=event, event_id=event_id, payload=payload,
            next_attempt_at=timezone.now(),
        )
        for endpoint_id in endpoint_ids
    ]
    for delivery_row in deliveries:
        transaction.on_commit(lambda pk=delivery_row.pk: enqueue(pk))
    return deliveries


def enqueue(delivery_id: int) -> None:
    """Send it soon; retries need no task: the worker drains due deliveries when idle."""
    from .tasks import deliver_webhook

    deliver_webhook.enqueue(delivery_id)


# ---------------------------------------------------------------------------- delivering


def body_of(delivery_row: WebhookDelivery) -> bytes:
    return json.dumps(delivery_row.payload, separators=(",", ":"), sort_keys=True).encode()


class WebhookSender:
    """Each delivery is its own request (endpoints differ), so no connection is kept."""

    def __enter__(self):
        return send

    def __exit__(self, *exc):
        return None


def send(delivery_row: WebhookDelivery) -> dict:
    """POST the signed payload; returns the fields to record, or raises DeliveryFailed."""
    endpoint = delivery_row.endpoint
    body = body_of(delivery_row)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "clustertalks-webhooks/2",
        "X-Clustertalks-Event": delivery_row.event,
        **signed_headers(endpoint.secret, f"msg_{delivery_row.event_id}", body, timezone.now()),
    }
    try:
        status = outbound.post(endpoint.url, body, headers, timeout=timeout(), allowed_hosts=allowed_hosts())
    except outbound.BlockedAddress as error:
        raise delivery.DeliveryFailed(str(error), last_status_code=None) from error
    except OSError as error:  # refused, unreachable, timed out, broken answer
        raise delivery.DeliveryFailed(delivery.describe(error), last_status_code=None) from error
    if not 200 <= status < 300:
        raise delivery.DeliveryFailed(f"HTTP {status}", last_status_code=status)
    return {"last_status_code": status}


def outbox() -> delivery.Outbox:
    Status = WebhookDelivery.Status
    return delivery.Outbox(
        name="webhooks", model=WebhookDelivery, open_sender=WebhookSender,
        waiting=(Status.PENDING,), sending=Status.SENDING, done=Status.DELIVERED,
        failed=Status.FAILED, done_at_field="delivered_at", max_attempts=max_attempts,
        backoff=retry_delay, error_length=500, select_related=("endpoint",),
    )


delivery.register("webhooks", outbox)


def attempt(delivery_id: int, now: dt.datetime | None = None) -> WebhookDelivery | None:
    """One attempt at delivering; returns the delivery, or None when there was nothing to do."""
    attempted = delivery.run(outbox(), ids=[delivery_id], now=now)
    return WebhookDelivery.objects.get(pk=delivery_id) if attempted.tried else None


def retry_due_deliveries(now: dt.datetime | None = None) -> int:
    """Attempt every waiting delivery that is due. Returns how many were attempted."""
    return delivery.run(outbox(), now=now).tried


def retry_now(deliveries) -> int:
    """The admin's "retry" action: given-up or waiting deliveries get one more attempt."""
    Status = WebhookDelivery.Status
    pks = list(deliveries.exclude(status=Status.DELIVERED).values_list("pk", flat=True))
    rows = WebhookDelivery.objects.filter(pk__in=pks)
    rows.filter(status=Status.FAILED).update(attempts=max_attempts() - 1)  # exactly one more
    rows.update(status=Status.PENDING, next_attempt_at=timezone.now())
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


def _endpoints_changed(sender, **kwargs) -> None:
    bump_public_generation()  # the subscriptions are kept per generation


def connect() -> None:
    from clustertalks.core import events

    for signal in (post_save, post_delete):
        signal.connect(_endpoints_changed, sender=WebhookEndpoint,
                       dispatch_uid="api.webhooks.endpoints")

    events.talk_published.connect(on_talk_published, dispatch_uid="api.webhooks.talk_published")
    events.talk_changed.connect(on_talk_changed, dispatch_uid="api.webhooks.talk_changed")
    events.talk_cancelled.connect(on_talk_cancelled, dispatch_uid="api.webhooks.talk_cancelled")
    events.materials_published.connect(on_materials_published, dispatch_uid="api.webhooks.materials_published")
    events.registration_created.connect(on_registration_created, dispatch_uid="api.webhooks.registration_created")

"""Webhooks: signed deliveries, retried when the receiver is down, delivered exactly once."""

import datetime as dt
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from clustertalks.api import webhooks
from clustertalks.api.models import WebhookDelivery, WebhookEndpoint
from clustertalks.talks.models import Talk

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


@pytest.fixture(autouse=True)
def _local_receivers_allowed(settings):
    """The receivers of these tests listen on 127.0.0.1: an administrator's allow-list entry."""
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]


class Receiver:
    """A local HTTP server on 127.0.0.1 that records what it receives."""

    def __init__(self, port: int = 0, status: int = 204):
        self.received: list[tuple[dict, bytes]] = []
        self.status = status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers), body))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hook"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def endpoint(url, events=("talk.published",)):
    return WebhookEndpoint.objects.create(name="CRM", url=url, events=list(events), secret=SECRET)


def publish(make_talk, django_capture_on_commit_callbacks):
    talk = make_talk(status=Talk.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        talk.status = Talk.Status.PUBLISHED
        talk.save()
    return talk


def test_publishing_delivers_a_standard_webhook_that_verifies(make_talk, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        endpoint(receiver.url)
        talk = publish(make_talk, django_capture_on_commit_callbacks)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert headers["X-Clustertalks-Event"] == "talk.published"
    # The documented recipe (docs/api.md): the standardwebhooks library, as a receiver uses it.
    from standardwebhooks import Webhook
    from standardwebhooks.webhooks import WebhookVerificationError

    payload = Webhook(SECRET).verify(body, headers)
    assert payload["type"] == "talk.published" and payload["data"]["talk"]["slug"] == talk.slug
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "QW5vdGhlciBzZWNyZXQgZm9yIHRoZSB0ZXN0cw==").verify(body, headers)
    with pytest.raises(WebhookVerificationError):  # the body was changed on the way
        Webhook(SECRET).verify(body.replace(b"published", b"cancelled"), headers)
    assert "meeting_url" not in body.decode()
    delivery = WebhookDelivery.objects.get()
    assert headers["webhook-id"] == f"msg_{delivery.event_id}"
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)


def test_a_replayed_delivery_is_refused_by_the_receiver(make_talk, django_capture_on_commit_callbacks):
    """The timestamp is signed: a captured delivery replayed later (or its timestamp moved) fails."""
    import datetime as dt

    from standardwebhooks import Webhook
    from standardwebhooks.webhooks import WebhookVerificationError

    with Receiver() as receiver:
        endpoint(receiver.url)
        publish(make_talk, django_capture_on_commit_callbacks)
    headers, body = receiver.received[0]
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    old = webhooks.signed_headers(SECRET, headers["webhook-id"], body, an_hour_ago)
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(SECRET).verify(body, old)
    moved = {**headers, "webhook-timestamp": str(int(timezone.now().timestamp()) + 1)}
    with pytest.raises(WebhookVerificationError):
        Webhook(SECRET).verify(body, moved)


def test_new_endpoints_get_a_standard_secret():
    import base64

    secret = WebhookEndpoint(name="x", url="https://example.org/hook").secret
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32


def test_a_receiver_that_is_down_gets_the_delivery_later_exactly_once(make_talk, django_capture_on_commit_callbacks):
    port = free_port()
    endpoint(f"http://127.0.0.1:{port}/hook")
    publish(make_talk, django_capture_on_commit_callbacks)  # connection refused
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.last_error and delivery.next_attempt_at > timezone.now()
    assert webhooks.retry_due_deliveries() == 0  # not due yet

    lease = dt.timedelta(minutes=2)
    later = delivery.next_attempt_at + lease
    with Receiver(port=port) as receiver:
        assert webhooks.retry_due_deliveries(now=later) == 1
        assert webhooks.retry_due_deliveries(now=later + lease * 10) == 0
        webhooks.attempt(delivery.pk, now=later + lease * 10)  # a stray second task
    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_retries_are_deferred_with_backoff_and_give_up(make_talk, django_capture_on_commit_callbacks, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    with Receiver(status=500) as receiver:
        endpoint(receiver.url)
        publish(make_talk, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        now = timezone.now()
        for _ in range(5):
            now += webhooks.LONGEST_WAIT
            webhooks.retry_due_deliveries(now=now)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 3, 500)
    assert len(receiver.received) == 3
    assert [webhooks.retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]


def test_a_due_retry_is_sent_by_the_workers_outbox_pass(make_talk, django_capture_on_commit_callbacks):
    """No deferred task is needed: an idle worker drains every outbox (core.delivery)."""
    from clustertalks.core import delivery as engine

    port = free_port()
    endpoint(f"http://127.0.0.1:{port}/hook")
    publish(make_talk, django_capture_on_commit_callbacks)  # refused: waits for its retry
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    with Receiver(port=port) as receiver:
        assert engine.deliver_all() == 1
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().status == "delivered"


def test_only_subscribed_active_endpoints_get_deliveries(make_talk, django_capture_on_commit_callbacks):
    endpoint("http://127.0.0.1:9/a", events=["talk.cancelled"])
    WebhookEndpoint.objects.create(name="off", url="http://127.0.0.1:9/b", events=["talk.published"], active=False)
    publish(make_talk, django_capture_on_commit_callbacks)
    assert WebhookDelivery.objects.count() == 0


def test_a_new_changed_or_switched_off_endpoint_counts_from_the_next_event(db):
    """The subscriptions are kept per content generation: every write to an endpoint must be
    seen by the next event, in this process and in any other (which reads the generation)."""
    from clustertalks.core import pagecache

    def deliveries_of_next_event() -> list[str]:
        return sorted(d.endpoint.name for d in webhooks.record_event("talk.published", {}))

    assert deliveries_of_next_event() == []  # kept: no endpoint at all
    first = endpoint("http://127.0.0.1:9/a")
    assert deliveries_of_next_event() == ["CRM"]
    WebhookEndpoint.objects.create(name="Second", url="http://127.0.0.1:9/b", events=["talk.published"])
    assert deliveries_of_next_event() == ["CRM", "Second"]
    first.active = False
    first.save()
    assert deliveries_of_next_event() == ["Second"]
    WebhookEndpoint.objects.filter(name="Second").first().delete()
    assert deliveries_of_next_event() == []
    # Another process writing an endpoint bumps the shared generation; this process's kept
    # copy is then stale. (Simulated: a row written without signals, then the bump it makes.)
    WebhookEndpoint.objects.bulk_create([WebhookEndpoint(name="Elsewhere", url="http://127.0.0.1:9/c",
                                                         events=["talk.published"], secret=SECRET)])
    assert deliveries_of_next_event() == []
    pagecache.generation_store().bump()
    pagecache.request_generation.value = None
    assert deliveries_of_next_event() == ["Elsewhere"]


def test_no_endpoint_costs_a_registration_no_query_once_the_subscriptions_are_kept(db, django_assert_num_queries):
    webhooks.record_event("registration.created", {})
    with django_assert_num_queries(0):
        assert webhooks.record_event("registration.created", {"registration": {"id": 1}}) == []


def test_cancelling_and_changing_are_events_too(make_talk, django_capture_on_commit_callbacks):
    endpoint("http://127.0.0.1:9/x", events=["talk.updated", "talk.cancelled"])
    talk = make_talk()
    with django_capture_on_commit_callbacks(execute=True):
        talk.title = "New title"
        talk.save()
    with django_capture_on_commit_callbacks(execute=True):
        talk.status = Talk.Status.CANCELLED
        talk.save()
    events = list(WebhookDelivery.objects.order_by("pk").values_list("event", flat=True))
    assert events == ["talk.updated", "talk.cancelled"]
    assert WebhookDelivery.objects.order_by("pk").first().payload["data"]["changed"] == ["title"]


@pytest.mark.parametrize("url", ["ftp://example.org/x", "file:///etc/passwd", "javascript:alert(1)", "not a url"])
def test_only_http_addresses_are_accepted(url):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        WebhookEndpoint(name="x", url=url, events=["talk.published"]).full_clean()


def test_materials_and_registration_events_carry_no_personal_data(make_talk):
    from types import SimpleNamespace

    from clustertalks.core import events

    endpoint("http://127.0.0.1:9/x", events=["materials.published", "registration.created"])
    talk = make_talk()
    events.materials_published.send(sender=None, talk=talk)
    registration = SimpleNamespace(pk=7, talk=talk, status="confirmed", email="someone@example.org", name="Some One")
    events.registration_created.send(sender=None, registration=registration)
    payloads = {d.event: d.payload for d in WebhookDelivery.objects.all()}
    assert payloads["materials.published"]["data"]["talk"]["slug"] == talk.slug
    assert payloads["registration.created"]["data"] == {
        "registration": {"id": 7, "status": "confirmed"}, "talk": {"slug": talk.slug, "title": talk.title},
    }
    assert "example.org" not in json.dumps(payloads["registration.created"])


# ---------------------------------------------------------------------------- outbound safety


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "240.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
])
def test_local_private_link_local_cgnat_multicast_reserved_addresses_are_not_public(address):
    from clustertalks.core import outbound

    assert not outbound.is_public(address)


def test_public_addresses_are_public():
    from clustertalks.core import outbound

    assert outbound.is_public("93.184.216.34") and outbound.is_public("2606:2800:220:1::1")


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/hook", "http://localhost/hook",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]/x",
                                 "http://10.0.0.5/hook", "http://100.100.100.100/hook"])
def test_an_endpoint_on_a_local_or_private_address_is_refused_with_a_clear_message(url, settings):
    from django.core.exceptions import ValidationError

    settings.WEBHOOK_ALLOWED_HOSTS = []
    with pytest.raises(ValidationError) as refused:
        WebhookEndpoint(name="x", url=url, events=["talk.published"]).full_clean()
    assert "only public internet addresses are allowed" in str(refused.value.message_dict["url"])


def test_the_admin_form_shows_the_refusal(admin_client, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = []
    page = admin_client.post("/admin/api/webhookendpoint/add/", {
        "name": "Internal", "url": "http://127.0.0.1:6379/", "events": ["talk.published"],
        "secret": SECRET, "active": "on"})
    assert page.status_code == 200 and not WebhookEndpoint.objects.exists()
    assert "only public internet addresses are allowed" in page.content.decode()


def test_an_allowed_host_may_be_local(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["localhost"]
    WebhookEndpoint(name="x", url="http://localhost:9/hook", events=["talk.published"]).full_clean()


def test_a_name_that_resolves_to_a_private_address_at_sending_time_is_refused(
        make_talk, django_capture_on_commit_callbacks, settings, monkeypatch):
    """DNS rebinding: public when saved, 127.0.0.1 when sent. The check is made again before
    connecting, and the request goes to the checked address only."""
    import socket as socket_module

    settings.WEBHOOK_ALLOWED_HOSTS = []
    with Receiver() as receiver:
        port = receiver.server.server_port
        answers = iter([[(socket_module.AF_INET, socket_module.SOCK_STREAM, 6, "", ("93.184.216.34", port))]])

        def rebinding(host, *args, **kwargs):
            if host == "hooks.example.org":
                return next(answers, [(socket_module.AF_INET, socket_module.SOCK_STREAM, 6, "",
                                       ("127.0.0.1", port))])
            return real_getaddrinfo(host, *args, **kwargs)

        real_getaddrinfo = socket_module.getaddrinfo
        monkeypatch.setattr(socket_module, "getaddrinfo", rebinding)
        hook = WebhookEndpoint(name="CRM", url=f"http://hooks.example.org:{port}/hook",
                               events=["talk.published"], secret=SECRET)
        hook.full_clean()  # public at save time
        hook.save()
        publish(make_talk, django_capture_on_commit_callbacks)
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and "private network address (127.0.0.1)" in delivery.last_error


def test_a_receiver_that_never_answers_times_out(make_talk, django_capture_on_commit_callbacks, settings):
    import time

    settings.WEBHOOK_TIMEOUT = 1
    with socket.socket() as silent:  # accepts connections (backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        endpoint(f"http://127.0.0.1:{silent.getsockname()[1]}/hook")
        started = time.monotonic()
        publish(make_talk, django_capture_on_commit_callbacks)
        waited = time.monotonic() - started
    delivery = WebhookDelivery.objects.get()
    assert waited < 5 and delivery.status == "pending" and "timed out" in delivery.last_error

"""Background work of the newsletter: sending a digest, automatic alerts."""

from django_tasks import task

from clustertalks.core import mail

from . import digests, emails, services
from .models import Digest, Subscriber


@task()
def send_digest(digest_id: int) -> int:
    digest = Digest.objects.filter(pk=digest_id).exclude(status=Digest.Status.DRAFT).first()
    return digests.send(digest) if digest else 0


def _alert(subscribers, kind: str, talk) -> int:
    count = 0
    for subscriber in subscribers.distinct():
        message = emails.alert_email(subscriber, kind, talk)
        queued = mail.queue_email(
            to=subscriber.email, kind=f"newsletter:alert-{kind}",
            dedupe_key=f"newsletter:alert-{kind}:{talk.pk}:{subscriber.pk}",
            headers=services.list_headers(services.unsubscribe_url(subscriber)), **message)
        count += queued is not None
    return count


def _alerted():
    return Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, alerts=True)


@task()
def alert_new_talk(talk_id: int) -> int:
    """'A new talk on a topic you follow': subscribers who follow the talk's topics."""
    from clustertalks.talks.models import Talk

    from django.utils import timezone

    talk = Talk.objects.published().filter(pk=talk_id, end__gte=timezone.now()).first()
    if talk is None:  # a past talk published late (an archive import) is no news
        return 0
    return _alert(_alerted().filter(follow=Subscriber.Follow.TOPICS,
                                    topics__in=talk.topics.all()), "talk", talk)


@task()
def alert_recording(talk_id: int) -> int:
    """'The recording is out': subscribers who follow recordings, and subscribers with alerts
    who registered for the talk."""
    from django.db.models import Q

    from clustertalks.registrations.models import Registration
    from clustertalks.talks.models import Talk

    talk = Talk.objects.published().filter(pk=talk_id, recordings__isnull=False).first()
    if talk is None:
        return 0
    registered = Registration.objects.filter(talk=talk).exclude(
        status=Registration.Status.CANCELLED).values("email")
    return _alert(_alerted().filter(Q(follow=Subscriber.Follow.RECORDINGS) | Q(email__in=registered)),
                  "recording", talk)

"""Talks announce what happens to them, once, after the change is committed."""

import datetime as dt

import pytest
from django.db import transaction

from clustertalks.core import events
from clustertalks.talks.models import Talk


@pytest.fixture
def heard():
    received = []

    def listen(event_name):
        def receiver(sender, signal, **kwargs):
            received.append((event_name, kwargs))
        return receiver

    receivers = {name: listen(name) for name in ("talk_published", "talk_changed", "talk_cancelled")}
    for name, receiver in receivers.items():
        getattr(events, name).connect(receiver)
    yield received
    for name, receiver in receivers.items():
        getattr(events, name).disconnect(receiver)


def names(heard):
    return [name for name, _ in heard]


def test_publishing_a_draft_is_announced_once(make_talk, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        talk = make_talk(status=Talk.Status.DRAFT)
        talk.status = Talk.Status.PUBLISHED
        talk.save()
        talk.save()
    assert names(heard) == ["talk_published"]


def test_moving_a_public_talk_is_announced_with_what_changed(make_talk, heard, django_capture_on_commit_callbacks):
    talk = make_talk()
    with django_capture_on_commit_callbacks(execute=True):
        talk.start += dt.timedelta(days=7)
        talk.end += dt.timedelta(days=7)
        talk.save()
    assert heard == [("talk_changed", {"talk": talk, "changed": {"start", "end"}})]
    assert talk.sequence == 1


def test_cancelling_is_announced_and_draft_edits_are_not(make_talk, heard, django_capture_on_commit_callbacks):
    public, draft = make_talk(), make_talk(status=Talk.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        public.status = Talk.Status.CANCELLED
        public.save()
        draft.start += dt.timedelta(days=1)
        draft.end += dt.timedelta(days=1)
        draft.save()
    assert names(heard) == ["talk_cancelled"]


def test_nothing_is_announced_when_the_transaction_rolls_back(make_talk, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            talk = make_talk(status=Talk.Status.DRAFT)
            talk.status = Talk.Status.PUBLISHED
            talk.save()
            raise RuntimeError("the admin form failed after saving the talk")
    assert heard == []

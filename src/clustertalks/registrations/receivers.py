"""Reactions to the talks room: the web request that saved the talk only enqueues a task."""

from . import tasks

# Changes that attendees must hear about (a title edit alone is not worth an email).
NOTIFIED_CHANGES = {"start", "end", "status", "venue", "city", "attendance_mode"}


def on_talk_changed(sender, talk, changed=frozenset(), **kwargs):
    if set(changed) & NOTIFIED_CHANGES:
        tasks.notify_talk_changed.enqueue(talk.pk, talk.sequence)


def on_talk_cancelled(sender, talk, **kwargs):
    tasks.notify_talk_cancelled.enqueue(talk.pk, talk.sequence)


def on_materials_published(sender, talk, **kwargs):
    tasks.send_followup.enqueue(talk.pk)

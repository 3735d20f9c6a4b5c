"""Reactions to the talks and materials rooms: only enqueue a task."""

from . import tasks


def on_talk_published(sender, talk, **kwargs):
    tasks.alert_new_talk.enqueue(talk.pk)


def on_materials_published(sender, talk, **kwargs):
    tasks.alert_recording.enqueue(talk.pk)

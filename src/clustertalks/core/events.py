"""Domain events: how one room reacts to another without importing it.

Talks must not know about webhooks or registration emails, yet both must react when a talk is
published, moved or cancelled. Each event is sent once, after the database transaction that
caused it has committed, with the object as keyword argument.

| event | sent by | keyword arguments |
| --- | --- | --- |
| talk_published | Talk.save, when a talk leaves draft as published | talk |
| talk_changed | Talk.save, when a public talk's time, place, title or status changes | talk, changed (set of field names) |
| talk_cancelled | Talk.save, when a public talk becomes cancelled | talk |
| materials_published | materials.services.publish_materials | talk |
| registration_created | registrations.services | registration |
"""

from django.db import transaction
from django.dispatch import Signal

talk_published = Signal()
talk_changed = Signal()
talk_cancelled = Signal()
materials_published = Signal()
registration_created = Signal()


def send_after_commit(event: Signal, sender, **kwargs) -> None:
    transaction.on_commit(lambda: event.send(sender=sender, **kwargs))

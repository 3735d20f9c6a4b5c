"""The sign-up's queries, compiled to SQL once per process (core/precompiled.py).

A sign-up is mostly Django's own request and ORM work; compiling the talk's wide row (its
series and both registration policies joined) was its largest single cost, and the check for
an earlier registration of the same address is run on every sign-up too. The SQL, the rows and
the query count are exactly Django's. On PostgreSQL the server also parses and plans them once
per connection (prepare=True, core/prepared.py)."""

from __future__ import annotations

from clustertalks.core.precompiled import Precompiled
from clustertalks.talks.models import Talk

from .models import Registration

_TALK = Precompiled(
    lambda slug: Talk.objects.select_related(
        "series", "registration_policy", "series__registration_policy").filter(slug=slug),
    slug="\x00registration-talk-slug\x00", prepare=True,
)
_EARLIER_REGISTRATION = Precompiled(
    lambda talk_id, email: Registration.objects.filter(talk_id=talk_id, email=email).order_by("pk")[:1],
    talk_id=-7_000_000_000_002, email="\x00registration-email\x00", prepare=True,
)


def talk_with_policies(slug: str) -> Talk | None:
    """The talk with its series and both registration policies joined (so that
    `services.policy_for` needs no query), or None."""
    found = _TALK.fetch(slug=slug)
    return found[0] if found else None


def earlier_registration(talk_id: int, email: str) -> Registration | None:
    """This address's registration for the talk, if it registered before (any status)."""
    found = _EARLIER_REGISTRATION.fetch(talk_id=talk_id, email=email)
    return found[0] if found else None

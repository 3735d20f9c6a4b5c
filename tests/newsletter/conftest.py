"""A real SMTP server (aiosmtpd) and subscribers in every state."""

import pytest

from clustertalks.newsletter.models import Subscriber
from tests.registrations.conftest import _fresh_rate_limit, part, smtp  # noqa: F401 - fixtures

from tests.api.conftest import bearer, write_token  # noqa: F401 - fixtures


@pytest.fixture
def make_subscriber(db):
    def make(email, status=Subscriber.Status.CONFIRMED, **fields):
        return Subscriber.objects.create(email=email, status=status, **fields)

    return make

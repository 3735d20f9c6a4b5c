"""A small archive whose every figure the tests count again by hand."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from clustertalks.materials.models import Recording, Takeaway, TalkSummary
from clustertalks.people.models import Organisation, Participation, Person
from clustertalks.registrations.models import Registration
from clustertalks.talks.models import Series, Talk, Topic

R = Participation.Role


@pytest.fixture
def archive(db, series):
    """Returns a dict describing what was made, for the tests' own counts."""
    rng = random.Random(12)
    other_series = Series.objects.create(name="Other talks", time_zone="Europe/Brussels")
    topics = [Topic.objects.create(name=n) for n in ["Skills", "Green transition", "Funding"]]
    kinds = ["eu", "cluster", "company", "research", "authority"]
    orgs = [Organisation.objects.create(name=f"Org {i}", kind=kinds[i % 5],
                                        country=["BE", "DE", "FR", "", "IT"][i % 5])
            for i in range(7)]
    people = [Person.objects.create(name=f"P{i}", gender=["woman", "man", ""][i % 3])
              for i in range(9)]
    now = timezone.now()
    made = {"talks": [], "parts": [], "registrations": [], "recordings": [], "takeaways": []}

    def talk(title, start, minutes=60, status=Talk.Status.PUBLISHED, on=None, published=True):
        item = Talk.objects.create(series=on or series, title=title, start=start, status=status,
                                   end=start + dt.timedelta(minutes=minutes))
        item.topics.add(*rng.sample(topics, rng.randint(1, 2)))
        for n in range(rng.randint(1, 4)):
            part = Participation.objects.create(
                talk=item, person=rng.choice(people), order=n,
                role=rng.choice([R.SPEAKER, R.KEYNOTE, R.PANELLIST, R.MODERATOR, R.HOST]),
                organisation=rng.choice(orgs + [None]))
            made["parts"].append(part)
        for n in range(rng.randint(0, 5)):
            made["registrations"].append(Registration.objects.create(
                talk=item, name="X", email=f"{item.pk}-{n}@example.org", organisation="O",
                country="BE", position="P", consented_at=now, attended=rng.random() < 0.5,
                status=rng.choice(["approved", "approved", "cancelled", "pending"])))
        made["recordings"].append(Recording.objects.create(
            talk=item, source="youtube", url="https://youtu.be/a", duration_seconds=rng.randint(1800, 5400)))
        for n in range(rng.randint(0, 4)):
            made["takeaways"].append(Takeaway.objects.create(
                talk=item, kind=rng.choice(Takeaway.Kind.values), text=f"Takeaway {n} of {title}",
                topic=rng.choice(topics + [None])))
        TalkSummary.objects.create(talk=item, materials_published_at=now if published else None)
        made["talks"].append(item)
        return item

    base = dt.datetime(2023, 1, 11, 7, 30, tzinfo=dt.UTC)
    for n in range(12):
        talk(f"Held {n}", base + dt.timedelta(weeks=5 * n), minutes=rng.choice([60, 90, 120]),
             published=n != 3)
    talk("Draft", base, status=Talk.Status.DRAFT)
    talk("Cancelled", base, status=Talk.Status.CANCELLED)
    talk("Future", now + dt.timedelta(days=10))
    talk("Other series", base + dt.timedelta(weeks=1), on=other_series)
    return {**made, "series": series, "other_series": other_series, "now": now}

"""The sign-up's precompiled queries give what Django's own queries give."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clustertalks.registrations import selectors, services
from clustertalks.registrations.models import Registration, RegistrationPolicy
from clustertalks.talks.models import Series, Talk


def fields(obj) -> dict:
    return {key: value for key, value in vars(obj).items() if not key.startswith("_")}


def test_the_talk_comes_with_its_series_and_both_policies_in_one_query(make_talk):
    other_series = Series.objects.create(name="Another series")
    talks = [make_talk("With its own policy"), make_talk("With the series' policy", series=other_series),
             make_talk("Defaults")]
    RegistrationPolicy.objects.create(talk=talks[0], capacity=12)
    series_policy = RegistrationPolicy.objects.create(series=talks[1].series, capacity=30)
    expected_policies = {talks[0].pk: 12, talks[1].pk: 30, talks[2].pk: None}
    for talk in talks:
        django_talk = Talk.objects.select_related("series").get(pk=talk.pk)
        with CaptureQueriesContext(connection) as queries:
            found = selectors.talk_with_policies(talk.slug)
            policy = services.policy_for(found)
            assert found.series.name == django_talk.series.name
        assert len(queries) == 1
        assert fields(found) == fields(django_talk)
        assert policy.capacity == expected_policies[talk.pk]
    assert services.policy_for(selectors.talk_with_policies(talks[1].slug)).pk == series_policy.pk
    assert selectors.talk_with_policies("no-such-talk") is None


def test_an_earlier_registration_is_found_only_for_its_talk_and_address(make_talk):
    first, second = make_talk("First"), make_talk("Second")
    registration = Registration.objects.create(talk=first, email="ana@example.org", name="Ana",
                                               status="cancelled", consented_at=first.start)
    found = selectors.earlier_registration(first.pk, "ana@example.org")
    assert fields(found) == fields(Registration.objects.get(pk=registration.pk))
    assert selectors.earlier_registration(second.pk, "ana@example.org") is None
    assert selectors.earlier_registration(first.pk, "bob@example.org") is None

"""The API's write endpoints and the back office's forms take the same hostile inputs the same
way: what a form refuses the API refuses (422, never a 5xx), what it accepts the API stores."""

import pytest
from django import forms

from clustertalks.materials.models import Takeaway, TalkSummary
from clustertalks.people.models import Person
from clustertalks.talks.models import AgendaItem, Talk, Topic
from tests.hostile import HOSTILE_INPUTS

from .test_api import send

pytestmark = pytest.mark.django_db


def talk_body(value):
    return {"title": value, "start": "2026-03-04T08:30:00+01:00"}


# (the model field the back office edits, how the API is sent the same text)
TARGETS = {
    "talk title": (Talk, "title", lambda talk, value: ("post", "/talks", talk_body(value))),
    "talk abstract": (Talk, "abstract", lambda talk, value: ("patch", f"/talks/{talk.slug}", {"abstract": value})),
    "topic name": (Topic, "name", lambda talk, value: ("patch", f"/talks/{talk.slug}", {"topics": [value]})),
    "speaker name": (Person, "name", lambda talk, value: ("post", f"/talks/{talk.slug}/participations", {"person": value})),
    "agenda title": (AgendaItem, "title", lambda talk, value: ("put", f"/talks/{talk.slug}/agenda", [{"title": value}])),
    "takeaway": (Takeaway, "text", lambda talk, value: ("put", f"/talks/{talk.slug}/takeaways", [{"kind": "challenge", "text": value}])),
    "summary": (TalkSummary, "text", lambda talk, value: ("put", f"/talks/{talk.slug}/summary", {"text": value})),
}


def form_accepts(model, field: str, value: str) -> bool:
    """Whether the back office's form for this field takes the text (Django's model form, as
    the admin builds it)."""
    form = forms.modelform_factory(model, fields=[field])(data={field: value})
    return form.is_valid() or field not in form.errors


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", HOSTILE_INPUTS)
def test_api_and_forms_agree_on_hostile_text(client, bearer, make_talk, target, name):
    value = HOSTILE_INPUTS[name]
    model, field, request = TARGETS[target]
    talk = make_talk(status=Talk.Status.DRAFT)
    method, path, body = request(talk, value)
    form_would_accept = form_accepts(model, field, value)  # before the API may create the row

    response = send(client, method, path, body, **bearer)

    assert response.status_code < 500
    accepted = response.status_code in (200, 201)
    assert accepted == form_would_accept, (response.status_code, response.json())
    if accepted:
        # Names are tidied (runs of white space made one space), other text only stripped, as
        # the form strips it.
        expected = " ".join(value.split()) if field == "name" else value.strip()
        assert model.objects.filter(**{field: expected}).exists(), f"{target}: not stored as sent"

"""What the talk form proposes for a speaker just chosen: their latest position and
organisation (the person's current ones, else those of their most recent talk)."""

from clustertalks.people.models import Participation, Person


def organisation_choice(organisation) -> dict | None:
    return None if organisation is None else {"id": organisation.pk, "text": str(organisation)}


def latest_details(person: Person) -> dict:
    position, organisation = person.current_position, person.current_organisation
    if not position or organisation is None:
        latest = (Participation.objects.filter(person=person)
                  .exclude(position="", organisation=None)
                  .select_related("organisation").order_by("-talk__start", "-pk").first())
        if latest is not None:
            position = position or latest.position
            organisation = organisation or latest.organisation
    return {"id": person.pk, "name": person.name, "position": position,
            "organisation": organisation_choice(organisation)}

"""Endpoints the back office's scripts call (behind the admin's sign-in and the role model)."""

from django.http import JsonResponse

from clustertalks.people.models import Person
from clustertalks.roles import services as roles

from . import speakers


def person_details(request, pk: int):
    """The position and organisation to propose when a person is chosen as a speaker."""
    if not roles.can(request.user, "view", Person):
        return JsonResponse({"error": "forbidden"}, status=403)
    person = Person.objects.select_related("current_organisation").filter(pk=pk).first()
    if person is None:
        return JsonResponse({"error": "not found"}, status=404)
    return JsonResponse(speakers.latest_details(person))

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from clustertalks.core.caching import public_page
from clustertalks.talks.selectors import talk_page_queryset

from .calendar import calendar_for


@public_page
def talk_ics(request, slug):
    talk = get_object_or_404(talk_page_queryset(), slug=slug)
    if not talk.is_public and not request.user.is_staff:
        raise Http404
    response = HttpResponse(calendar_for([talk], talk.title), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{talk.slug}.ics"'
    return response

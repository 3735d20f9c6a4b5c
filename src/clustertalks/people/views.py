from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from clustertalks.core.caching import public_page
from clustertalks.roles import services as roles
from clustertalks.talks import selectors
from clustertalks.talks.models import Series, Talk

from . import services
from .models import Organisation, Participation, Person

PAGE_SIZE = 48
PERSON_TALKS_PAGE_SIZE = 50


def id_page(queryset, size: int, request):
    """The requested page of `queryset`'s ids, in its order: the page's rows are then read (and
    their talks counted) for those ids only, however long the list."""
    return Paginator(queryset.values_list("pk", flat=True), size).get_page(request.GET.get("page"))


@public_page
def person_list(request):
    index = services.people_index()
    page = id_page(index, PAGE_SIZE, request)
    page.object_list = services.index_rows(index, page.object_list, "current_organisation",
                                           "current_organisation__parent")
    return render(request, "people/person_list.html", {"page": page})


@public_page
def person_detail(request, slug):
    person = get_object_or_404(
        Person.objects.select_related("current_organisation").prefetch_related("honours", "links"),
        slug=slug,
    )
    # Ties broken by pk: the page's ids and its rows are ordered by two queries alike.
    parts = services.public_participations().filter(person=person).order_by("-talk__start", "pk")
    # Paginated: a speaker with hundreds of talks costs what one with a few does. The ordering
    # is done on ids alone (an index covers them), in a subquery, and only the page's rows are
    # read whole: sorting the whole rows of a speaker in 3,000 talks took ~60 ms on SQLite.
    page = id_page(parts, PERSON_TALKS_PAGE_SIZE, request)
    if not page.paginator.count and not roles.can(request.user, "view", Person):
        raise Http404
    rows = parts.select_related("talk", "talk__series", "organisation", "organisation__parent")
    return render(request, "people/person_detail.html",
                  {"person": person, "participations": rows.filter(pk__in=page.object_list), "page": page})


@public_page
def organisation_list(request):
    index = services.organisation_index()
    page = id_page(index, PAGE_SIZE, request)
    page.object_list = services.index_rows(index, page.object_list, "parent")
    return render(request, "people/organisation_list.html", {"page": page})


@public_page
def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), slug=slug)
    family = services.organisation_family_ids(organisation)
    # Two indexed id sets (no join, so no DISTINCT and no walk over every talk): the talks the
    # organisation's people spoke at, and the talks of the series it organises or commissions.
    talks = (
        Talk.objects.published()
        .filter(
            Q(pk__in=Participation.objects.filter(organisation__in=family).values("talk_id"))
            | Q(series__in=Series.objects.filter(Q(organiser__in=family) | Q(on_behalf_of__in=family)))
        )
        .order_by("-start")
    )
    people = (
        services.people_with_public_talks()
        .filter(participations__organisation__in=family)
        .distinct()
    )
    page = Paginator(selectors.talk_cards(talks), 20).get_page(request.GET.get("page"))
    if not page.paginator.count and not roles.can(request.user, "view", Person):
        raise Http404
    return render(
        request,
        "people/organisation_detail.html",
        {
            "organisation": organisation,
            "units": Organisation.objects.filter(parent=organisation),
            "people": people,
            "page": page,
        },
    )

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from clustertalks.core.caching import public_page
from clustertalks.roles import services as roles

from . import filters, selectors
from .models import Series, Talk
from .translations import series_prefetches

PAGE_SIZE = 20


def paginate(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


@public_page
def home(request):
    now = timezone.now()
    published = Talk.objects.published()
    upcoming = list(selectors.talk_cards(published.upcoming(now))[:7])
    return render(
        request,
        "talks/home.html",
        {
            "next_talk": upcoming[0] if upcoming else None,
            "upcoming": upcoming[1:],
            "recent": selectors.talk_cards(published.past(now))[:3],
            "topics": selectors.busiest_topics(12),
            "series_list": Series.objects.all(),
        },
    )


@public_page
def series_detail(request, slug):
    series = get_object_or_404(
        Series.objects.select_related("organiser", "on_behalf_of", "on_behalf_of__parent")
        .prefetch_related(*series_prefetches()), slug=slug
    )
    now = timezone.now()
    talks = Talk.objects.published().filter(series=series)
    return render(
        request,
        "talks/series_detail.html",
        {
            "series": series,
            "upcoming": selectors.talk_cards(talks.upcoming(now)),
            "past": paginate(request, selectors.talk_cards(talks.past(now))),
            "talk_count": talks.count(),
        },
    )


@public_page
def talk_detail(request, slug):
    talk = selectors.talk_page(slug)
    if talk is None:
        raise Http404
    if not talk.is_public and not roles.draft_visible_to(request.user, talk):
        raise Http404
    selectors.unfold_talk_page(talk)
    agenda, other_speakers = selectors.agenda_with_speakers(talk)
    return render(
        request,
        "talks/talk_detail.html",
        {"talk": talk, "agenda": agenda, "other_speakers": other_speakers},
    )


@public_page
def archive(request):
    talks, active = filters.apply_filters(Talk.objects.published(), request.GET)
    query = (request.GET.get("q") or "").strip()[:200]
    if query:
        talks = talks.filter(Q(title__icontains=query) | Q(abstract__icontains=query))
    page = paginate(request, selectors.talk_cards(talks.order_by("-start")))
    return render(
        request,
        "talks/archive.html",
        {
            "page": page,
            "active": active,
            "query": query,
            "title": filters.archive_title(active, query),
            "year_choices": [(str(year), str(year)) for year in filters.archive_years()],
            "filter_fields": filters.filter_fields(active),
            "querystring": request.GET.copy(),
        },
    )


@public_page
def topic_list(request):
    return render(request, "talks/topic_list.html", {"topics": selectors.topic_list()})


@public_page
def topic_detail(request, slug):
    topic = get_object_or_404(selectors.public_topics(), slug=slug)
    talks = Talk.objects.published().filter(topics=topic).order_by("-start")
    return render(
        request,
        "talks/topic_detail.html",
        {"topic": topic, "page": paginate(request, selectors.talk_cards(talks))},
    )

"""RSS 2.0 and Atom feeds of new talks and new recordings: site-wide, per series, per topic."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from clustertalks.core import localdates
from clustertalks.core.links import absolute_url
from clustertalks.materials.models import Recording
from clustertalks.talks.selectors import talk_cards

from . import services
from .text import excerpt, xml_safe


class ScopedFeed(Feed):
    """A feed over all talks, or the talks of the series or topic named in the address."""

    feed_type = Rss201rev2Feed
    content = "talks"

    def __init__(self, scope_kind: str = "all"):
        super().__init__()
        self.scope_kind = scope_kind

    def get_object(self, request, slug=""):
        if self.scope_kind == "series":
            return services.scope_for(series_slug=slug)
        if self.scope_kind == "topic":
            return services.scope_for(topic_slug=slug)
        return services.FeedScope()

    def link(self, scope):
        page = scope.series or scope.topic
        return absolute_url(page.get_absolute_url() if page else "/")

    def feed_url(self, scope):
        suffix = "atom" if self.feed_type is Atom1Feed else "rss"
        return absolute_url(scope.url(f"{self.content}_{suffix}"))

    def item_link(self, item):
        return absolute_url(self.talk_of(item).get_absolute_url())

    def talk_of(self, item):
        return item


class TalkFeed(ScopedFeed):
    content = "talks"

    def title(self, scope):
        return xml_safe(_("New talks: %(name)s") % {"name": scope.name})

    def description(self, scope):
        return _("Talks announced in %(name)s.") % {"name": xml_safe(scope.name)}

    subtitle = description

    def items(self, scope):
        return talk_cards(scope.talks().order_by("-created_at", "-pk"))[: services.FEED_MAX_ITEMS]

    def item_title(self, talk):
        title = xml_safe(talk.title)
        if talk.status == talk.Status.CANCELLED:
            return _("Cancelled: %(title)s") % {"title": title}
        if talk.status == talk.Status.POSTPONED:
            return _("Postponed: %(title)s") % {"title": title}
        return title

    def item_description(self, talk):
        lines = [when(talk)]
        speakers = ", ".join(xml_safe(person.name) for person in talk.people())
        if speakers:
            lines.append(_("Speakers: %(names)s") % {"names": speakers})
        lines.append(_("Spoken language: %(language)s") % {"language": talk.get_language_display()})
        abstract = excerpt(talk.abstract, 500)
        if abstract:
            lines.append(abstract)
        return "\n\n".join(lines)

    def item_pubdate(self, talk):
        return talk.created_at

    def item_updateddate(self, talk):
        return talk.updated_at

    def item_categories(self, talk):
        return [xml_safe(topic.name) for topic in talk.topics.all()]


class RecordingFeed(ScopedFeed):
    content = "recordings"

    def title(self, scope):
        return xml_safe(_("New recordings: %(name)s") % {"name": scope.name})

    def description(self, scope):
        return _("Recordings of the talks in %(name)s.") % {"name": xml_safe(scope.name)}

    subtitle = description

    def items(self, scope):
        return (
            Recording.objects.filter(talk__in=scope.talks())
            .select_related("talk", "talk__series")
            .order_by("-created_at", "-pk")[: services.FEED_MAX_ITEMS]
        )

    def talk_of(self, recording):
        return recording.talk

    def item_title(self, recording):
        title = _("Recording: %(title)s") % {"title": xml_safe(recording.talk.title)}
        if recording.title:
            title += f" ({xml_safe(recording.title)})"
        return title

    def item_description(self, recording):
        return _("The recording of the talk of %(when)s.") % {"when": when(recording.talk)}

    def item_guid(self, recording):
        return absolute_url(recording.talk.get_absolute_url()) + f"#recording-{recording.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, recording):
        return recording.created_at


def when(talk) -> str:
    start = talk.local_start
    return localdates.when(start, None, talk.zone_abbreviation)


def atom(feed_class):
    """The Atom twin of an RSS feed class."""
    return type(f"Atom{feed_class.__name__}", (feed_class,), {"feed_type": Atom1Feed})

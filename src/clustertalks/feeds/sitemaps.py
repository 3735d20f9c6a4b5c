"""sitemap.xml: an index of one sitemap per kind of page (sitemap-talks.xml, ...), each listing
every public page in every offered language, with addresses on SITE_URL (not the request's
host). Django splits a section into pages of 50,000 addresses (?p=2), which the index lists."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from clustertalks.people.models import Organisation
from clustertalks.people.services import people_with_public_talks, public_participations
from clustertalks.talks.models import Series, Talk
from clustertalks.talks.selectors import public_topics


class SiteSitemap(Sitemap):
    # Every page in every offered language (settings.LANGUAGES: those with a catalogue). The
    # hreflang alternates are in each page's <head>, not repeated here: with 24 languages they
    # made every entry 25 links long (22 MB for the demo's 345 pages, ~400 MB at 10,000 talks).
    i18n = True

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


class PageSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return ["talks:home", "talks:archive", "talks:topics", "people:people",
                "people:organisations", "core:privacy", "core:accessibility"]

    def location(self, name):
        return reverse(name)


class TalkSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Talk.objects.published().only("slug", "updated_at").order_by("-start")

    def lastmod(self, talk):
        return talk.updated_at


class SeriesSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return Series.objects.order_by("pk")


class TopicSitemap(SiteSitemap):
    def items(self):
        return public_topics().order_by("pk")


class PersonSitemap(SiteSitemap):
    def items(self):
        return people_with_public_talks().only("slug").order_by("pk")


class OrganisationSitemap(SiteSitemap):
    def items(self):
        return (
            Organisation.objects.filter(participations__in=public_participations())
            .only("slug")
            .distinct()
            .order_by("pk")
        )


SITEMAPS = {
    "pages": PageSitemap,
    "series": SeriesSitemap,
    "talks": TalkSitemap,
    "topics": TopicSitemap,
    "people": PersonSitemap,
    "organisations": OrganisationSitemap,
}


def index_locations() -> list[str]:
    """Each section's address on SITE_URL, and one per further page of a long section."""
    locations = []
    for section, sitemap_class in SITEMAPS.items():
        location = settings.SITE_URL + reverse("feeds:sitemap_section", args=[section])
        pages = sitemap_class().paginator.num_pages
        locations += [location] + [f"{location}?p={page}" for page in range(2, pages + 1)]
    return locations

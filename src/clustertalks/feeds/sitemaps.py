"""sitemap.xml: every public page in every offered language, with addresses on SITE_URL
(not the request's host)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from clustertalks.people.models import Organisation
from clustertalks.people.services import people_with_public_talks, public_participations
from clustertalks.talks.models import Series, Talk
from clustertalks.talks.selectors import public_topics


class SiteSitemap(Sitemap):
    # Every page in every offered language (settings.LANGUAGES: those with a catalogue), each
    # entry naming its versions (xhtml:link hreflang) and the English one as x-default.
    i18n = True
    alternates = True
    x_default = True

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

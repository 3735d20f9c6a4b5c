"""The identity the site wears, read once per content generation of the page cache.

Every page shows the site identity (header mark, colours, home hero), so it must cost no query
on a page: `site_identity()` keeps it in the page cache until the next public write (`branding`
is in PAGE_CACHE_PUBLIC_MODELS, so editing an identity or a series bumps the generation)."""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings

from clustertalks.core import pagecache
from clustertalks.core.links import slug_url

from . import colours

DEFAULT_NAME = "clustertalks"
LIGHT_BACKGROUNDS = ("#ffffff", "#f3f5f8")  # the light theme's page and header/surface colours
DEFAULT_LINK = "#004494"


@dataclass(frozen=True)
class Brand:
    """What pages, images and emails need of an identity (plain values: it is cached)."""

    name: str = DEFAULT_NAME
    tagline: str = ""
    introduction: str = ""
    logo_url: str = ""
    hero_url: str = ""
    hero_srcset: str = ""  # WebP renditions once the worker made them; until then the upload alone
    hero_width: int = 1200
    hero_height: int = 400
    logo_srcset: str = ""
    hero_alt: str = ""
    primary: str = "#004494"
    on_primary: str = "#ffffff"
    accent: str = "#ffd617"
    on_accent: str = "#1b1f24"
    series_slug: str = ""
    is_default: bool = True
    version: str = field(default="default")

    @property
    def series_url(self) -> str:
        """The series page in the page's language: worked out when asked, as the brand itself is
        kept for every language (per_generation)."""
        return slug_url("talks:series", self.series_slug) if self.series_slug else ""

    @property
    def link_colour(self) -> str:
        """The primary colour for links on light pages, if it is readable there (4.5:1)."""
        if all(colours.contrast(self.primary, bg) >= colours.MIN_TEXT_CONTRAST for bg in LIGHT_BACKGROUNDS):
            return self.primary
        return DEFAULT_LINK

    @property
    def full_name(self) -> str:
        """"EU Clusters Talks — the bi-weekly meeting point…": for feeds, calendars and emails."""
        return f"{self.name} — {self.tagline}" if self.tagline else self.name


def _hex_or(value: str, default: str) -> str:
    """Colours reach CSS and inline email styles: anything but #rrggbb (a row written outside the
    form) falls back to the default."""
    return value.lower() if colours.is_hex(value) else default


def _picture_values(identity) -> dict:
    """The logo and hero image pages show: the worker's WebP renditions when they exist, else
    the upload itself (a page never waits for the worker)."""
    values = {"logo_url": identity.logo.url if identity.logo else "",
              "hero_url": identity.hero_image.url if identity.hero_image else ""}
    if identity.logo and identity.logo_40 and identity.logo_80:
        values["logo_url"] = identity.logo_40.url
        values["logo_srcset"] = f"{identity.logo_40.url} 1x, {identity.logo_80.url} 2x"
    srcset = identity.hero_image and identity.hero_srcset
    if srcset:
        values.update(hero_url=identity.hero_1600.url, hero_srcset=srcset,
                      hero_width=identity.hero_width, hero_height=identity.hero_height)
    return values


def brand_of(identity) -> Brand:
    series = identity.series
    values = dict(
        name=identity.display_name,
        tagline=series.tagline,
        introduction=identity.introduction,
        **_picture_values(identity),
        hero_alt=identity.hero_image_alt,
        primary=_hex_or(identity.primary_colour, Brand.primary),
        on_primary=_hex_or(identity.primary_text_colour, Brand.on_primary),
        accent=_hex_or(identity.accent_colour, Brand.accent),
        on_accent=_hex_or(identity.accent_text_colour, Brand.on_accent),
        series_slug=series.slug,
        is_default=False,
    )
    fingerprint = hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:12]
    return Brand(**values, version=fingerprint)


def default_brand() -> Brand:
    return Brand(name=getattr(settings, "SITE_NAME", DEFAULT_NAME))


@dataclass(frozen=True)
class Identities:
    site: Brand
    by_series: dict = field(default_factory=dict)  # series id -> Brand

    @property
    def version(self) -> str:
        """Changes with any identity's colours: the stylesheet link carries it, so a change
        reaches visitors at once, whichever series it is."""
        versions = sorted(brand.version for brand in self.by_series.values()) or [self.site.version]
        return hashlib.sha256(" ".join(versions).encode()).hexdigest()[:12]


def load_identities() -> Identities:
    """Every identity in one query; the site's is the one marked so, else the first made."""
    from .models import Identity

    rows = list(Identity.objects.select_related("series").order_by("-is_site_identity", "pk"))
    by_series = {identity.series_id: brand_of(identity) for identity in rows}
    return Identities(site=by_series[rows[0].series_id] if rows else default_brand(), by_series=by_series)


def identities() -> Identities:
    """All identities, kept in the page cache until the next public write: no query on a page,
    in an email or in a share image."""
    return pagecache.per_generation("identities", load_identities)


def site_identity() -> Brand:
    """The site's identity: the one marked as the site's, else the first made, else a default."""
    return identities().site


def brand_for_series(series_id: int | None) -> Brand:
    """The identity of a series, else the site's: for emails, digests and share images."""
    return identities().by_series.get(series_id) or site_identity()


def stylesheet(brands: list[Brand]) -> str:
    """CSS custom properties of the site identity (first) and of each series' identity, scoped
    to `[data-series]` (talk and series pages wear their own series' colours)."""
    blocks = []
    for index, brand in enumerate(brands):
        selector = ":root" if index == 0 else f'[data-series="{brand.series_slug}"]'
        blocks.append(
            f"{selector} {{ --brand-primary: {brand.primary}; --brand-on-primary: {brand.on_primary}; "
            f"--brand-accent: {brand.accent}; --brand-on-accent: {brand.on_accent}; }}\n"
            f"@media (prefers-color-scheme: light) {{ {selector} {{ --accent: {brand.link_colour}; }} }}\n"
        )
    return "".join(blocks)


def all_brands() -> list[Brand]:
    known = identities()
    others = [brand for brand in known.by_series.values() if brand.series_slug != known.site.series_slug]
    return [known.site] + others


# The palette of the EU Clusters Talks (the demo identity).
EU_BLUE, EU_YELLOW = "#004494", "#ffd617"

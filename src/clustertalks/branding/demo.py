"""The demo series' identity, in the spirit of the seed pages: the EU blue and yellow, a ring
of twelve stars, and the series' own words as introduction."""

import io
import math

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from .models import Identity
from .services import EU_BLUE, EU_YELLOW

INTRODUCTION = (
    "Every two weeks, on Wednesday morning, the European Cluster Collaboration Platform invites "
    "the cluster community online: up-to-date insights into industrial policy, cluster practice "
    "and funding opportunities, with the people who make them. Free, open to all, recorded."
)
HERO_ALT = ""  # a decorative ring of stars: the text beside it says everything


def star_points(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def ring(cx: float, cy: float, radius: float, star: float) -> list[list[tuple[float, float]]]:
    return [
        star_points(cx + radius * math.cos(a), cy + radius * math.sin(a), star, star * 0.4)
        for a in (2 * math.pi * k / 12 for k in range(12))
    ]


def logo_svg() -> bytes:
    stars = "".join(
        '<polygon points="{}"/>'.format(" ".join(f"{x:.1f},{y:.1f}" for x, y in points))
        for points in ring(32, 32, 20, 4.2)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img">'
        f'<rect width="64" height="64" rx="10" fill="{EU_BLUE}"/>'
        f'<g fill="{EU_YELLOW}">{stars}</g></svg>'
    ).encode()


def hero_png(width: int = 1200, height: int = 400) -> bytes:
    """A banner: rings of stars spreading like a network of clusters."""
    image = Image.new("RGB", (width, height), "#0a3a7a")
    canvas = ImageDraw.Draw(image)
    for cx, cy, scale, colour in ((260, 200, 1.0, EU_YELLOW), (640, 140, 0.55, "#5d8fd6"),
                                  (900, 260, 0.75, "#ffe566"), (1110, 110, 0.4, "#5d8fd6")):
        for points in ring(cx, cy, 150 * scale, 22 * scale):
            canvas.polygon(points, fill=colour)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def load_identity_demo(series) -> tuple[Identity, bool]:
    """The identity of the demo series (made once; an organiser's edits are kept)."""
    existing = Identity.objects.filter(series=series).first()
    if existing:
        from .tasks import queue_missing_renditions

        queue_missing_renditions()  # an identity made before the worker made renditions
        return existing, False
    identity = Identity(
        series=series,
        name=series.name,
        introduction=INTRODUCTION,
        primary_colour=EU_BLUE,
        primary_text_colour="#ffffff",
        accent_colour=EU_YELLOW,
        accent_text_colour="#1b1f24",
        hero_image_alt=HERO_ALT,
        is_site_identity=not Identity.objects.filter(is_site_identity=True).exists(),
    )
    identity.full_clean(exclude=["logo", "hero_image"])
    identity.logo.save("eu-clusters-talks.svg", ContentFile(logo_svg()), save=False)
    identity.hero_image.save("eu-clusters-talks-hero.png", ContentFile(hero_png()), save=False)
    identity.save()
    return identity, True

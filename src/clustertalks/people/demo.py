"""Demo photos: some generated speakers of the demo get a drawn portrait (a silhouette on a
coloured background, made here with Pillow: nothing is downloaded), the others keep their
initials, so the demo shows both. Real people of the seed pages never get a made-up face."""

import io
import random
import zlib

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from .models import Person

SIZE = 480
EVERY = 3  # about one sample speaker in three gets a portrait
BACKGROUNDS = ((36, 86, 160), (22, 120, 110), (120, 60, 140), (170, 90, 40), (60, 70, 90), (30, 110, 60))
TONES = ((241, 204, 170), (224, 172, 130), (190, 130, 90), (140, 95, 60), (100, 66, 44))
CLOTHES = ((40, 40, 48), (230, 230, 235), (70, 90, 140), (120, 30, 40), (60, 100, 80))


def portrait(seed: str) -> bytes:
    """A JPEG head-and-shoulders silhouette, the same for the same seed."""
    rng = random.Random(zlib.crc32(seed.encode()))
    top, tone, cloth = rng.choice(BACKGROUNDS), rng.choice(TONES), rng.choice(CLOTHES)
    image = Image.new("RGB", (SIZE, SIZE), top)
    canvas = ImageDraw.Draw(image)
    for y in range(SIZE):  # a soft vertical gradient
        shade = tuple(int(c * (1 - 0.35 * y / SIZE)) for c in top)
        canvas.line([(0, y), (SIZE, y)], fill=shade)
    centre = SIZE // 2 + rng.randint(-20, 20)
    canvas.ellipse([centre - 170, 330, centre + 170, 620], fill=cloth)  # shoulders
    canvas.rectangle([centre - 38, 270, centre + 38, 350], fill=tone)  # neck
    head = rng.randint(88, 104)
    canvas.ellipse([centre - head, 120, centre + head, 120 + 2.4 * head], fill=tone)
    hair = tuple(max(0, c - rng.randint(90, 140)) for c in tone)
    canvas.chord([centre - head - 4, 108, centre + head + 4, 120 + 1.6 * head], 180, 360, fill=hair)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85)
    return output.getvalue()


def gets_a_portrait(person: Person) -> bool:
    return person.is_sample and zlib.crc32(person.name.encode()) % EVERY == 0


def load_photo_demo() -> int:
    """Give portraits to some sample speakers that have no photo; returns how many. Their small
    versions are made by the worker, as for an organiser's upload (initials until then)."""
    given = 0
    for person in Person.objects.filter(is_sample=True, photo="").order_by("pk"):
        if gets_a_portrait(person):
            person.photo.save(f"{person.slug}.jpg", ContentFile(portrait(person.name)))
            given += 1
    return given

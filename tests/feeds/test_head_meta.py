"""{% talk_head_meta %} writes the tags the template feeds/_talk_head_meta.html wrote (kept
below as the reference), in any active time zone."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from clustertalks.core.links import absolute_url
from clustertalks.feeds import structured
from clustertalks.feeds.templatetags.feed_tags import image_alt, page_card, talk_head_meta

REFERENCE = """<meta property="og:image" content="{{ image_url }}">
  <meta property="og:image:type" content="image/png">
  <meta property="og:image:width" content="1200">
  <meta property="og:image:height" content="630">
  <meta property="og:image:alt" content="{{ image_alt }}">
  <meta name="twitter:card" content="summary_large_image">
  <meta name="twitter:image" content="{{ image_url }}">
  <meta name="twitter:image:alt" content="{{ image_alt }}">
  <meta property="article:published_time" content="{{ talk.created_at|date:'c' }}">
  <meta property="article:modified_time" content="{{ talk.updated_at|date:'c' }}">
  <link rel="alternate" type="text/calendar" title="{{ talk.title }} (.ics)" href="{{ calendar_url }}">
  {{ json_ld }}
"""


@pytest.mark.parametrize("zone", ["UTC", "Europe/Helsinki", "America/New_York"])
def test_the_same_tags_as_the_template(make_talk, zone):
    talk = make_talk('Data & "clusters" <now>')
    card = page_card(talk)
    values = {
        "talk": talk,
        "json_ld": structured.json_ld_script(structured.talk_json_ld(talk, card)),
        "image_url": structured.share_image_url(talk, "share", card),
        "image_alt": image_alt(card),
        "calendar_url": absolute_url(reverse("feeds:talk_ics", args=[talk.slug])),
    }
    with timezone.override(zone):
        assert talk_head_meta(Context(), talk) == Template(REFERENCE).render(Context(values))

"""The public side: the talk page, the recording page, captions, and the hooks on other pages."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clustertalks.core import pagecache
from clustertalks.materials.models import Recording, Takeaway
from clustertalks.talks.models import Talk, Topic

pytestmark = pytest.mark.django_db


def test_talk_page_shows_every_material(client, full_talk, add_materials):
    talk = add_materials(full_talk(), recordings=1, attachments=1, takeaways=6)

    html = client.get(talk.get_absolute_url()).content.decode()

    assert "After the talk" in html
    assert 'data-embed="https://www.youtube-nocookie.com/embed/abcdefghi00?autoplay=1&amp;rel=0"' in html
    assert 'href="https://www.youtube.com/watch?v=abcdefghi00"' in html
    assert "loads content from youtube.com" in html
    assert "<iframe" not in html  # nothing from youtube before the visitor's click
    assert "Line 2 of recording 0" not in html  # the transcript is on the recording's page
    recording_url = reverse("materials:recording", args=[talk.slug, talk.recordings.first().pk])
    assert f'href="{recording_url}#transcript-' in html and "Read the transcript (" in html
    assert "#t=8" in client.get(recording_url).content.decode()
    assert "Slides 0" in html and "2 pages" in html and "1.2\xa0KB" in html
    assert "<strong>summary</strong>" in html and "<script>alert" not in html
    assert "materials/player.js" in html


def test_takeaways_are_grouped_by_kind_in_kind_order(client, full_talk, add_materials):
    talk = add_materials(full_talk(), takeaways=0)
    for order, (kind, text) in enumerate([
        (Takeaway.Kind.NEXT_STEP, "Meet again in spring"),
        (Takeaway.Kind.CHALLENGE, "Skills shortages"),
        (Takeaway.Kind.CHALLENGE, "Energy prices"),
        (Takeaway.Kind.FUNDING, "Call for cluster partnerships"),
    ]):
        Takeaway.objects.create(talk=talk, order=order, kind=kind, text=text)

    html = client.get(talk.get_absolute_url()).content.decode()

    headings = re.findall(r'<h4 class="takeaways__kind[^"]*">([^<]+)</h4>', html)
    assert headings == ["Challenges", "Funding opportunities", "Next steps"]
    assert html.index("Skills shortages") < html.index("Energy prices") < html.index("Call for cluster")
    assert html.index("Energy prices") < html.index("Funding opportunities")


def test_uploaded_video_plays_in_page_with_caption_track(client, full_talk, add_materials):
    talk = add_materials(full_talk(), recordings=1, attachments=0, takeaways=0)
    recording = talk.recordings.get()
    recording.source, recording.url, recording.video = Recording.Source.UPLOAD, "", "recordings/talk.mp4"
    recording.save()

    html = client.get(talk.get_absolute_url()).content.decode()

    captions = reverse("materials:captions", args=[talk.slug, recording.pk])
    assert '<source src="/media/recordings/talk.mp4">' in html
    assert f'<track kind="captions" src="{captions}" srclang="en"' in html
    response = client.get(captions)
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:03.500\nLine 0 of recording 0")


def test_captions_escape_markup_in_cues(client, full_talk, add_materials):
    talk = add_materials(full_talk(), attachments=0, takeaways=0)
    cue = talk.recordings.get().transcript.cues.first()
    cue.text, cue.speaker = "a <b>bold</b> --> move & more", "Ann<a>"
    cue.save()

    body = client.get(reverse("materials:captions", args=[talk.slug, talk.recordings.get().pk])).content.decode()

    assert "<v Ann&lt;a&gt;>a &lt;b&gt;bold&lt;/b&gt; --&gt; move &amp; more" in body


def test_recording_page_has_transcript_and_moment_links(client, full_talk, add_materials):
    talk = add_materials(full_talk(), attachments=0, takeaways=0)
    recording = talk.recordings.get()
    url = reverse("materials:recording", args=[talk.slug, recording.pk])

    response = client.get(url)
    html = response.content.decode()

    assert response.status_code == 200
    assert f"<h1>Recording of {talk.title}</h1>" in html
    assert f'href="{url}#t=4"' in html
    assert "<details class=\"transcript\" open>" in html


def test_recording_of_another_talk_is_not_found(client, full_talk, add_materials):
    one = add_materials(full_talk())
    other = add_materials(full_talk())
    pk = other.recordings.get().pk

    assert client.get(reverse("materials:recording", args=[one.slug, pk])).status_code == 404
    assert client.get(reverse("materials:captions", args=[one.slug, pk])).status_code == 404
    assert client.get(f"/talks/{one.slug}/recording/99999/").status_code == 404


def test_drafts_never_leak_materials(admin_client, full_talk, add_materials):
    client = Client()  # anonymous (admin_client logs in pytest's `client`)
    draft = add_materials(full_talk(status=Talk.Status.DRAFT, title="Secret"), takeaways=3)
    recording = draft.recordings.get()
    person = draft.takeaways.first().person
    topic = Topic.objects.get(name="Skills")

    assert client.get(reverse("materials:recording", args=[draft.slug, recording.pk])).status_code == 404
    assert client.get(reverse("materials:captions", args=[draft.slug, recording.pk])).status_code == 404
    for page in ("/", person.get_absolute_url(), topic.get_absolute_url()):
        html = client.get(page).content.decode()
        assert "Takeaway 0" not in html and "Secret" not in html, page
    preview = admin_client.get(draft.get_absolute_url()).content.decode()
    assert "These materials are not published yet" in preview


def test_unpublished_materials_are_hidden_from_visitors(admin_client, full_talk, add_materials):
    client = Client()
    talk = add_materials(full_talk(), published=False)

    assert "After the talk" not in client.get(talk.get_absolute_url()).content.decode()
    recording = talk.recordings.get()
    assert client.get(reverse("materials:recording", args=[talk.slug, recording.pk])).status_code == 404
    assert "Takeaway 0" not in client.get(talk.takeaways.first().person.get_absolute_url()).content.decode()
    assert "After the talk" in admin_client.get(talk.get_absolute_url()).content.decode()


def test_home_person_and_topic_pages_list_published_materials(client, full_talk, add_materials):
    talk = add_materials(full_talk(title="Results and visions"), takeaways=2)
    person = talk.takeaways.first().person

    home = client.get("/").content.decode()
    assert "Latest recordings" in home and reverse("materials:recording", args=[talk.slug, talk.recordings.get().pk]) in home
    person_page = client.get(person.get_absolute_url()).content.decode()
    assert "Key takeaways" in person_page and "Takeaway 1" in person_page
    topic_page = client.get(Topic.objects.get(name="Skills").get_absolute_url()).content.decode()
    assert "Key takeaways on this topic" in topic_page and "Takeaway 0" in topic_page


def test_talk_page_query_count_does_not_grow_with_materials(client, full_talk, add_materials, count_queries):
    few = add_materials(full_talk(), recordings=1, attachments=1, takeaways=2, cues=3)
    many = add_materials(full_talk(), recordings=3, attachments=3, takeaways=12, cues=40)
    none = full_talk()

    def queries(talk):
        pagecache.prime()
        with CaptureQueriesContext(connection) as ctx:
            client.get(talk.get_absolute_url())
        return [q["sql"] for q in ctx.captured_queries]

    few_count, many_count, none_count = len(queries(few)), len(queries(many)), len(queries(none))

    assert few_count == many_count, "\n".join(set(queries(many)) ^ set(queries(few)))
    assert none_count <= few_count
    assert few_count - none_count <= 3  # recordings, slides, takeaways


@pytest.mark.parametrize("page", ["home", "person", "topic", "recording"])
def test_other_pages_query_count_does_not_grow(page, client, full_talk, add_materials, count_queries):
    def url_of(talk):
        if page == "home":
            return "/"
        if page == "person":
            return talk.takeaways.first().person.get_absolute_url()
        if page == "topic":
            return Topic.objects.get(name="Skills").get_absolute_url()
        return reverse("materials:recording", args=[talk.slug, talk.recordings.first().pk])

    small = add_materials(full_talk(), recordings=1, takeaways=1, cues=2)
    first = count_queries(client.get, url_of(small))
    big = add_materials(full_talk(), recordings=3, takeaways=12, cues=50)
    for _ in range(3):
        add_materials(full_talk(), recordings=2, takeaways=3)
    if page == "person":
        Takeaway.objects.update(person=small.takeaways.first().person)

    assert count_queries(client.get, url_of(big if page == "recording" else small)) == first


def test_the_talk_materials_tag_runs_four_queries_whatever_the_size(rf, full_talk, add_materials, count_queries):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    template = Template("{% load materials_tags %}{% talk_materials talk %}")
    request = rf.get("/")
    request.user = AnonymousUser()

    def render(talk):
        return template.render(Context({"talk": talk, "request": request}))

    few = add_materials(full_talk(), recordings=1, attachments=1, takeaways=2, cues=3)
    many = add_materials(full_talk(), recordings=3, attachments=3, takeaways=12, cues=40)
    few, many = Talk.objects.get(pk=few.pk), Talk.objects.get(pk=many.pk)  # summary not loaded yet

    assert count_queries(render, few) == count_queries(render, many) == 4  # cues: on their own page
    assert "Takeaway 11" in render(many)


def test_the_talk_page_lists_recordings_in_their_order_with_their_line_counts(full_talk, add_materials):
    from clustertalks.materials import selectors

    talk = add_materials(full_talk(), recordings=2, cues=4)
    first, second = talk.recordings.order_by("pk")
    Recording.objects.filter(pk=first.pk).update(order=9)
    Recording.objects.create(talk=talk, order=5, source=Recording.Source.YOUTUBE, url="https://youtu.be/abcdefghijk")
    found = selectors.talk_page_recordings(talk)
    assert [(r.pk, r.cue_count, r.has_captions) for r in found] == [
        (second.pk, 4, True), (found[1].pk, 0, False), (first.pk, 4, True)]

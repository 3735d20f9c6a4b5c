"""{% takeaway_items %}: the talk page's takeaway list items, as the template loop it replaced
wrote them (kept below as the reference)."""

from types import SimpleNamespace

from django.template import Context, Template

from clustertalks.materials.templatetags.materials_tags import takeaway_items

LOOP = (
    '{% for takeaway in takeaways %}<li id="takeaway-{{ takeaway.pk }}"{% if takeaway.lang %} lang="{{ takeaway.lang }}"{% endif %}>'
    "{{ takeaway.text }}{% if takeaway.person or takeaway.topic %} <span class=\"takeaway__meta\">{% if takeaway.person %}— "
    '<a href="{{ takeaway.person.get_absolute_url }}">{{ takeaway.person.name }}</a>{% endif %}{% if takeaway.topic %} · '
    '<a href="{{ takeaway.topic.get_absolute_url }}">{{ takeaway.topic.name }}</a>{% endif %}</span>{% endif %}</li>\n'
    "      {% endfor %}"
)


def link(name, url):
    return SimpleNamespace(name=name, get_absolute_url=lambda: url)


def test_the_same_markup_as_the_template_loop():
    person, topic = link("Ann <&>", "/people/ann/"), link("Data & \"AI\"", "/topics/data/")
    takeaways = [
        SimpleNamespace(pk=pk, lang=lang, text=text, person=p, topic=t)
        for pk, (lang, text, p, t) in enumerate([
            ("", "Plain", None, None), ("fr", "<b>bold</b> & co", person, None),
            ("", "Topic only", None, topic), ("de", "Both", person, topic),
        ], start=1198)
    ]
    assert takeaway_items(takeaways) == Template(LOOP).render(Context({"takeaways": takeaways}))
    assert takeaway_items([]) == ""

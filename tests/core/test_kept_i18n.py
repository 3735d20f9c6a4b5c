"""{% load i18n %} loads core/templatetags/kept_i18n.py: Django's library, with fixed
{% translate %} texts kept per language. The same output as Django's tag, in every language."""

import pytest
from django.template import Context, Engine, Template
from django.utils import translation

from clustertalks.core.templatetags.kept_i18n import KeptTranslateNode

CASES = [
    "{% translate 'Talks' %}",
    '{% translate "Home" %}|{% trans "Speakers" %}',
    "{% translate 'May' context 'month name' %}",
    "{% translate 'Talks' noop %}",
    "{% translate 'Talks' as label %}[{{ label }}]",
    "{% translate '100%% sure' %}",
    "{% translate text %}",
    "{% translate 'Talks'|upper %}",
    "{% autoescape off %}{% translate '<b>&' %}{% endautoescape %}{% translate '<b>&' %}",
    "{% blocktranslate %}Talks{% endblocktranslate %}",
]


def django_engine():
    return Engine(libraries={"i18n": "django.templatetags.i18n"})


def test_the_project_loads_the_kept_library():
    template = Engine.get_default().from_string("{% load i18n %}{% translate 'Talks' %}")
    assert type(template.nodelist[-1]) is KeptTranslateNode


@pytest.mark.parametrize("source", CASES)
def test_same_as_django_in_every_language_and_order(source):
    kept = Template("{% load i18n %}" + source)
    plain = django_engine().from_string("{% load i18n %}" + source)
    for language in ["en", "fr", "de", "fr", "mt", "en", "de"]:
        with translation.override(language):
            for text in ("Talks", "Topics"):
                assert kept.render(Context({"text": text})) == plain.render(Context({"text": text})), language


def test_a_translated_text_differs_by_language():
    template = Template("{% load i18n %}{% translate 'Talks' %}")
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("de"):
        german = template.render(Context())
    with translation.override("en"):
        assert template.render(Context()) == english == "Talks"
    assert german != english


@pytest.mark.parametrize("source", ["{% translate '<b>&' %}", "{% translate 'Talks' %}"])
def test_kept_per_autoescape(source):
    template = Template("{% load i18n %}" + source)
    plain = django_engine().from_string("{% load i18n %}" + source)
    for _ in range(2):
        for autoescape in (True, False):
            assert template.render(Context(autoescape=autoescape)) == plain.render(Context(autoescape=autoescape))

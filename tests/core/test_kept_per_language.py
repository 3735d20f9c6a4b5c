"""{% kept_per_language %} (core/templatetags/kept.py): rendered once per language, and never
served in another language; the page footer uses it."""

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, set_script_prefix
from django.utils import translation

from clustertalks.core.templatetags import kept

SOURCE = "{% translate 'Talks' %}|{% url 'talks:archive' %}|{{ LANGUAGE_CODE }}"


def both():
    plain = Template("{% load i18n %}" + SOURCE)
    kept_template = Template("{% load i18n kept %}{% kept_per_language %}" + SOURCE + "{% end_kept_per_language %}")
    return plain, kept_template


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(kept, "_kept", {})


def test_each_language_gets_its_own_copy(fresh):
    plain, kept_template = both()
    seen = {}
    for language in ["en", "fr", "de", "fr", "en", "de"]:
        with translation.override(language):
            context = {"LANGUAGE_CODE": language}
            html = kept_template.render(Context(context))
            assert html == plain.render(Context(context))
            seen.setdefault(language, html)
            assert seen[language] == html
    assert len(set(seen.values())) == 3
    assert len(kept._kept) == 3


def test_kept_means_not_rendered_again(fresh):
    template = Template("{% load kept %}{% kept_per_language %}{{ value }}{% end_kept_per_language %}")
    assert template.render(Context({"value": "first"})) == "first"
    assert template.render(Context({"value": "second"})) == "first"  # why only fixed parts go inside
    with translation.override("fr"):
        assert template.render(Context({"value": "third"})) == "third"


def test_script_prefix_is_part_of_the_key(fresh):
    template = Template("{% load kept %}{% kept_per_language %}{% url 'talks:archive' %}{% end_kept_per_language %}")
    plain = template.render(Context())
    set_script_prefix("/under/")
    try:
        assert template.render(Context()) == "/under" + plain
    finally:
        clear_script_prefix()
        set_script_prefix("/")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "en", "de"])
def test_the_footer_is_in_the_page_language(client, language):
    prefix = "" if language == "en" else f"/{language}"
    for _ in range(2):
        html = client.get(f"{prefix}/talks/").content.decode()
        footer = html[html.index('<footer class="site-footer">'):]
        assert f'<input type="hidden" name="language" value="{language}">' in footer
        assert f'href="{prefix}/newsletter/' in footer or f'action="{prefix}/' in footer

"""{% url %} with its answers kept (core/templatetags/kept_urls.py): the same answers as
Django's tag, per language, arguments, script prefix and URL configuration."""

import pytest
from django.template import Context, Engine, Template
from django.template.defaulttags import URLNode
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, path, reverse, set_script_prefix
from django.utils import translation

from clustertalks.core.templatetags import kept_urls
from clustertalks.core.templatetags.kept_urls import KeptURLNode


def hello(request):  # a view for the URL configuration below
    raise AssertionError


urlpatterns = [path("elsewhere/<slug:slug>/", hello, name="talk")]


def render(source: str, **context) -> str:
    return Template("{% load i18n %}" + source).render(Context(context))


def test_the_project_templates_use_the_kept_tag():
    template = Engine.get_default().from_string("{% url 'talks:archive' %}")
    assert type(template.nodelist[0]) is KeptURLNode


@pytest.mark.parametrize("language", ["en", "fr", "de", "fr", "en"])
def test_each_language_gets_its_own_address(language):
    with translation.override(language):
        expected = reverse("talks:talk", args=["a-talk"])
        assert render("{% url 'talks:talk' slug %}", slug="a-talk") == expected
        assert render("{% url 'talks:archive' %}") == reverse("talks:archive")
    assert (language == "en") == (not expected.startswith(f"/{language}/"))


def test_arguments_values_and_as():
    with translation.override("fr"):
        assert render("{% url 'talks:talk' slug=s %}", s="one") == reverse("talks:talk", args=["one"])
        assert render("{% url 'talks:talk' s %}", s="two") == reverse("talks:talk", args=["two"])
        assert render("{% url 'talks:talk' 'three' as u %}[{{ u }}]") == f"[{reverse('talks:talk', args=['three'])}]"
        assert render("{% url 'talks:nothing' as u %}[{{ u }}]") == "[]"
        with pytest.raises(NoReverseMatch):
            render("{% url 'talks:nothing' %}")


def test_values_that_are_not_plain_are_reversed_each_time():
    class Slug:
        def __init__(self, text):
            self.text = text

        def __str__(self):
            return self.text

    slug = Slug("first")
    assert render("{% url 'talks:talk' s %}", s=slug) == reverse("talks:talk", args=["first"])
    slug.text = "second"
    assert render("{% url 'talks:talk' s %}", s=slug) == reverse("talks:talk", args=["second"])


def test_script_prefix_and_url_configuration_are_part_of_the_key():
    plain = render("{% url 'talks:archive' %}")
    set_script_prefix("/under/")
    try:
        assert render("{% url 'talks:archive' %}") == "/under" + plain
    finally:
        clear_script_prefix()
        set_script_prefix("/")
    assert render("{% url 'talks:archive' %}") == plain
    with override_settings(ROOT_URLCONF=__name__):
        assert render("{% url 'talk' 'x' %}") == "/elsewhere/x/"
        assert Template("{% url 'talk' 'x' %}").nodelist[0].__class__ is KeptURLNode


def test_escaped_like_django(monkeypatch):
    monkeypatch.setattr(kept_urls, "_kept", {})
    source = "{% url 'search:search' %}?q={{ q }}"
    assert render(source, q="<b>") == reverse("search:search") + "?q=&lt;b&gt;"
    assert issubclass(KeptURLNode, URLNode)


def test_the_store_is_bounded(monkeypatch):
    monkeypatch.setattr(kept_urls, "_kept", {})
    monkeypatch.setattr(kept_urls, "MAX_KEPT", 3)
    for n in range(10):
        assert render("{% url 'talks:talk' s %}", s=f"t{n}") == reverse("talks:talk", args=[f"t{n}"])
        assert len(kept_urls._kept) <= 3

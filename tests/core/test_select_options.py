"""The <option> lists of the archive and search filters: escaped, the chosen one marked, and the
same list of thousands of speakers escaped once, not on every miss."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from clustertalks.core.templatetags.site import _options_html, select_options


def test_options_are_escaped_and_only_the_chosen_one_is_selected():
    choices = [("a-b", "A & B"), ("x", "<script>x</script>"), ("x-2", 'Y"')]
    html = select_options(choices, "x")
    assert html == ('<option value="a-b">A &amp; B</option>'
                    '<option value="x" selected>&lt;script&gt;x&lt;/script&gt;</option>'
                    '<option value="x-2">Y&quot;</option>')
    assert "selected" not in select_options(choices, None) + select_options(choices, "")
    assert select_options(choices, '"><script>').count("selected") == 0  # hostile choice: nothing marked


def test_a_long_list_is_escaped_once_and_labels_follow_the_language():
    speakers = [(f"speaker-{n}", f"Speaker {n}") for n in range(3000)]
    _options_html.cache_clear()
    select_options(speakers, "speaker-1")
    select_options(list(speakers), "speaker-2")
    assert _options_html.cache_info().hits == 1
    with translation.override("fr"):
        french = select_options([("talk", _("Talk"))])
    assert french.startswith("<option value=\"talk\">")

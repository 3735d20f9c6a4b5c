"""The header's navigation ({% site_nav %}, links kept per language) and search form (fixed
parts kept per language): the page's language, and the current page marked."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "de", "en"])
def test_navigation_in_the_page_language_with_the_current_page_marked(client, language):
    prefix = "" if language == "en" else f"/{language}"
    for path, other in (("/topics/", "/talks/"), ("/talks/", "/topics/")):
        html = client.get(f"{prefix}{path}?q=x%3Cy").content.decode()
        nav = html[html.index('<ul class="nav">'):html.index("</nav>")]
        assert f'<a href="{prefix}{path}" aria-current="page">' in nav
        assert f'<a href="{prefix}{other}">' in nav
        assert nav.count("aria-current") == 1
        form = html[html.index('<form class="site-search"'):]
        assert f'action="{prefix}/search/"' in form[:200]
        assert 'value="x&lt;y"' in form
    page = client.get(f"{prefix}/people/").content.decode()
    nav = page[page.index('<ul class="nav">'):page.index("</nav>")]
    assert nav.count("aria-current") == 1 and f'<a href="{prefix}/people/" aria-current="page">' in nav
    assert 'value=""' in page[page.index('<form class="site-search"'):]

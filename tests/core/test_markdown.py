from clustertalks.core.markdown import plain_excerpt, render_markdown


def test_markdown_is_rendered_and_scripts_are_stripped():
    html = render_markdown("**Bold** [link](https://example.org) <script>alert(1)</script>")
    assert "<strong>Bold</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<script>" not in html


def test_dangerous_link_schemes_are_removed():
    html = render_markdown(
        "[click](javascript:alert(1)) [data](data:text/html,x) <a href='javascript:x'>raw</a>"
    )
    assert "<a" not in html and "&lt;a href=" in html  # no link; the raw tag is shown as text


def test_excerpt_is_plain_text_cut_on_a_word():
    text = "**Bold** start " + "word " * 100
    excerpt = plain_excerpt(text, 40)
    assert excerpt.startswith("Bold start") and excerpt.endswith("…") and len(excerpt) <= 40
    assert "<" not in excerpt

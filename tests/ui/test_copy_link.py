"""The copy-link control's document: the address is shown as inert text, in the page's theme."""

from components.copy_link import copy_link_html


def test_the_link_is_escaped_so_query_text_stays_inert() -> None:
    url = 'http://x/search?q="><script>alert(1)</script>&a=1'
    page = copy_link_html(url)
    assert "<script>alert(1)" not in page
    assert 'value="http://x/search?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;a=1"' in page


def test_dark_and_light_themes_differ_and_unknown_falls_back_to_light() -> None:
    assert copy_link_html("http://x/", "dark") != copy_link_html("http://x/", "light")
    assert copy_link_html("http://x/", "sepia") == copy_link_html("http://x/", "light")

"""canonical_url, is_http_url and domain_of over tables of real-looking links."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dateline.process.urls import canonical_url, domain_of, is_http_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM/News/Story", "https://www.example.com/News/Story"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?utm_source=rss&utm_medium=feed&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?fbclid=XYZ&gclid=1&mc_cid=a&mc_eid=b", "https://example.com/a"),
        (
            "https://example.com/a?ocid=x&cmpid=y&ref=tw&ref_src=twsrc&igshid=1&spm=a.b&_ga=2.1",
            "https://example.com/a",
        ),
        ("https://example.com/a?UTM_Campaign=x&page=2", "https://example.com/a?page=2"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?b=2&a=1&a=0", "https://example.com/a?a=0&a=1&b=2"),
        ("https://example.com/a?q=", "https://example.com/a?q="),
        ("https://example.com./a", "https://example.com/a"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("http://LOCALHOST:8000/feed.xml#x", "http://localhost:8000/feed.xml"),
        ("http://[::1]:8080/feed", "http://[::1]:8080/feed"),
        ("https://en.wikinews.org//wiki/A,_B", "https://en.wikinews.org//wiki/A,_B"),
        ("ftp://example.com/file", None),
        ("mailto:desk@example.com", None),
        ("example.com/a", None),
        ("", None),
        (None, None),
        ("https://example.com:notaport/a", None),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_canonical_url_is_idempotent():
    once = canonical_url("HTTP://Example.com:80/x?utm_source=a&z=1&b=2#top")
    assert once == "http://example.com/x?b=2&z=1"
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://example.com/a", True),
        ("http://example.com", True),
        ("HTTP://EXAMPLE.COM/", True),
        ("http://localhost:8000/feed.xml", True),
        ("http://127.0.0.1:8765/feed", True),
        ("http://[::1]:8080/feed", True),
        ("https://intranet/a", False),
        ("https:///a", False),
        ("ftp://example.com/a", False),
        ("/home/user/news.csv", False),
        ("example.com", False),
        ("https://exa mple.com/a", False),
        ("", False),
        (None, False),
    ],
)
def test_is_http_url(text, expected):
    assert is_http_url(text) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.bbc.co.uk/news/world-1", "bbc.co.uk"),
        ("https://edition.cnn.com/2024/x", "edition.cnn.com"),
        ("http://WWW.Example.COM:8080/a", "example.com"),
        ("www.urdupoint.com/en/world/x.html", "urdupoint.com"),
        ("https://localhost/a", None),
        ("", None),
        (None, None),
    ],
)
def test_domain_of(url, expected):
    assert domain_of(url) == expected


_segment = st.text(alphabet=string.ascii_letters + string.digits + "-_.~%", min_size=0, max_size=8)
_param = st.tuples(st.sampled_from(["id", "page", "utm_source", "fbclid", "q", "Ref", "x"]), _segment)


@given(
    scheme=st.sampled_from(["http", "https", "HTTPS"]),
    host=st.from_regex(r"[a-zA-Z]{1,8}\.(com|org|co\.uk)", fullmatch=True),
    port=st.sampled_from(["", ":80", ":443", ":8080"]),
    path=st.lists(_segment, max_size=3),
    params=st.lists(_param, max_size=4),
    fragment=st.sampled_from(["", "#top", "#"]),
)
def test_canonical_url_is_stable_and_drops_tracking(scheme, host, port, path, params, fragment):
    query = "&".join(f"{name}={value}" for name, value in params)
    url = f"{scheme}://{host}{port}/{'/'.join(path)}" + (f"?{query}" if query else "") + fragment
    once = canonical_url(url)
    assert once is not None
    assert canonical_url(once) == once
    assert "#" not in once and "utm_source" not in once and "fbclid" not in once
    assert once.startswith(("http://", "https://")) and host.lower() in once

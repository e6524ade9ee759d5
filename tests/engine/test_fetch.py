"""fetch_url against httpx.MockTransport: headers, redirects, and a clear reason for each failure."""

from __future__ import annotations

import httpx
import pytest

from dateline.ingest.fetch import STATUS_HEADER, fetch_url, is_not_modified, make_client
from dateline.models import Fetched, Problem
from dateline.settings import Settings

FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>"


def client_for(handler) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True)


def test_success_keeps_body_lowercase_headers_and_final_url():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "https://news.example.com/feed.xml"})
        return httpx.Response(
            200, content=FEED, headers={"Content-Type": "application/rss+xml; charset=UTF-8", "ETag": '"v1"'}
        )

    fetched = fetch_url("https://news.example.com/old", client=client_for(handler), timeout=5)
    assert isinstance(fetched, Fetched)
    assert fetched.body == FEED
    assert fetched.source == "https://news.example.com/old"
    assert fetched.url == "https://news.example.com/feed.xml"
    assert fetched.headers["content-type"] == "application/rss+xml; charset=UTF-8"
    assert fetched.headers["etag"] == '"v1"'
    assert fetched.headers[STATUS_HEADER] == "200"
    assert all(name == name.lower() for name in fetched.headers)


def test_conditional_get_sends_validators_and_reports_not_modified():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(request.headers)
        return httpx.Response(304)

    fetched = fetch_url(
        "https://news.example.com/feed.xml",
        client=client_for(handler),
        etag='"v1"',
        last_modified="Sat, 17 Jun 2023 03:10:00 GMT",
    )
    assert seen["if-none-match"] == '"v1"'
    assert seen["if-modified-since"] == "Sat, 17 Jun 2023 03:10:00 GMT"
    assert isinstance(fetched, Fetched) and is_not_modified(fetched) and fetched.body == b""


def raise_(exc):
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return handler


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        (lambda r: httpx.Response(404), "HTTP 404 Not Found"),
        (lambda r: httpx.Response(503), "HTTP 503 Service Unavailable"),
        (lambda r: httpx.Response(410), "HTTP 410 Gone"),
        (
            raise_(httpx.ConnectError("[Errno -2] Name or service not known")),
            "DNS lookup failed: host 'nowhere.example' not found",
        ),
        (
            raise_(httpx.ConnectError("[Errno 111] Connection refused")),
            "connection failed: [Errno 111] Connection refused",
        ),
        (raise_(httpx.ReadTimeout("read timed out")), "timed out after 5 s"),
        (raise_(httpx.ConnectTimeout("connect timed out")), "timed out after 5 s"),
        (lambda r: httpx.Response(302, headers={"Location": str(r.url)}), "too many redirects"),
        (
            raise_(httpx.RemoteProtocolError("peer closed connection")),
            "HTTP error: RemoteProtocolError: peer closed connection",
        ),
    ],
)
def test_failures_become_problems_with_clear_reasons(handler, reason):
    problem = fetch_url("https://nowhere.example/feed", client=client_for(handler), timeout=5)
    assert problem == Problem(source="https://nowhere.example/feed", reason=reason)


@pytest.mark.parametrize(
    "url", ["ftp://example.com/feed.xml", "file:///etc/passwd", "javascript:alert(1)", "news.xml"]
)
def test_non_http_urls_are_refused_without_a_request(url):
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may be made")

    assert fetch_url(url, client=client_for(handler)) == Problem(source=url, reason="not an http(s) URL")


def test_body_over_the_cap_is_refused_by_declared_length():
    handler = lambda r: httpx.Response(200, content=b"x" * 2000)  # noqa: E731
    problem = fetch_url("https://example.com/big", client=client_for(handler), max_bytes=1000)
    assert problem == Problem(
        source="https://example.com/big", reason="response too large (2000 bytes, limit 1000)"
    )


def test_streamed_body_over_the_cap_is_refused():
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"x" * 600, b"y" * 600]))  # no content-length

    problem = fetch_url("https://example.com/big", client=client_for(handler), max_bytes=1000)
    assert problem == Problem(source="https://example.com/big", reason="response too large (over 1000 bytes)")


def test_make_client_uses_settings():
    client = make_client(Settings(db_url="sqlite://", fetch_timeout=7.5, user_agent="Tester/1"))
    with client:
        assert client.headers["user-agent"] == "Tester/1"
        assert client.timeout.read == 7.5
        assert client.follow_redirects is True

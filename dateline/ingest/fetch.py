"""The only module that talks to the network: a URL to Fetched bytes, or a Problem saying why not."""

from __future__ import annotations

import httpx

from dateline.models import Fetched, Problem
from dateline.process.urls import is_http_url
from dateline.settings import Settings

MAX_BODY_BYTES = 20 * 1024 * 1024
STATUS_HEADER = ":status"  # pseudo-header (as in HTTP/2) carrying the response status in Fetched.headers
_DNS_HINTS = (
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "getaddrinfo failed",
    "no address associated",
    "name resolution",
)


def make_client(settings: Settings) -> httpx.Client:
    """An HTTP client with the project's user agent, timeout and redirect policy."""
    return httpx.Client(
        follow_redirects=True,
        headers={"user-agent": settings.user_agent},
        timeout=settings.fetch_timeout,
    )


def fetch_url(
    url: str,
    *,
    client: httpx.Client,
    timeout: float = 20.0,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BODY_BYTES,
) -> Fetched | Problem:
    """GET `url` following redirects; a 304 to a conditional GET is a Fetched with an empty body."""
    if not is_http_url(url):
        return Problem(source=url, reason="not an http(s) URL")
    headers = {}
    if etag:
        headers["if-none-match"] = etag
    if last_modified:
        headers["if-modified-since"] = last_modified
    try:
        with client.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=True) as response:
            return _read_response(url, response, max_bytes)
    except httpx.TimeoutException:
        return Problem(source=url, reason=f"timed out after {timeout:g} s")
    except httpx.TooManyRedirects:
        return Problem(source=url, reason="too many redirects")
    except httpx.ConnectError as exc:
        return Problem(source=url, reason=_connect_reason(url, exc))
    except httpx.HTTPError as exc:
        return Problem(source=url, reason=f"HTTP error: {type(exc).__name__}: {exc}")


def is_not_modified(fetched: Fetched) -> bool:
    """True when the server answered a conditional GET with 304 Not Modified."""
    return fetched.headers.get(STATUS_HEADER) == "304"


def _read_response(url: str, response: httpx.Response, max_bytes: int) -> Fetched | Problem:
    if response.status_code >= 400:
        return Problem(source=url, reason=f"HTTP {response.status_code} {response.reason_phrase}".strip())
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        return Problem(source=url, reason=f"response too large ({int(declared)} bytes, limit {max_bytes})")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            return Problem(source=url, reason=f"response too large (over {max_bytes} bytes)")
        chunks.append(chunk)
    headers = {name.lower(): value for name, value in response.headers.items()}
    headers[STATUS_HEADER] = str(response.status_code)
    return Fetched(source=url, body=b"".join(chunks), headers=headers, url=str(response.url))


def _connect_reason(url: str, exc: httpx.ConnectError) -> str:
    message = str(exc)
    if any(hint in message.lower() for hint in _DNS_HINTS):
        host = httpx.URL(url).host
        return f"DNS lookup failed: host {host!r} not found"
    return f"connection failed: {message or type(exc).__name__}"

"""URL helpers: canonical form for stable ids, http check, and the site's domain."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that identify a campaign or a click, never the page itself.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gclsrc",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "mc_cid",
        "mc_eid",
        "ocid",
        "cmpid",
        "ref",
        "ref_src",
        "ref_url",
        "referrer",
        "igshid",
        "spm",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "ncid",
        "ito",
        "soc_src",
        "soc_trk",
        "sr_share",
        "smid",
        "s_cid",
        "wt.mc_id",
        "icid",
        "__twitter_impression",
        "at_medium",
        "at_campaign",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "oly_")
DEFAULT_PORTS = {"http": 80, "https": 443}
_HTTP_URL = re.compile(r"https?://(?P<host>[^\s/?#]+)(?:[/?#]\S*)?\Z", re.IGNORECASE)
_LOCAL_HOST = re.compile(r"(?:localhost|\[[0-9a-f:.]+\])(?::\d+)?\Z", re.IGNORECASE)


def is_http_url(text: str | None) -> bool:
    """True for an absolute http(s) URL with a dotted host (or localhost, an IPv6 literal) and no whitespace."""
    match = _HTTP_URL.match(text.strip()) if text else None
    if match is None:
        return False
    host = match.group("host").rpartition("@")[2]
    return "." in host.strip(".") or bool(_LOCAL_HOST.match(host))


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def canonical_url(url: str | None) -> str | None:
    """The form two links to the same page share: lower-case scheme and host, no fragment,
    default port or tracking parameters, remaining query sorted; path case kept. None if not http(s)."""
    if not url or not is_http_url(url):
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return None
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def domain_of(url: str | None) -> str | None:
    """The site's host without a leading "www." (e.g. "bbc.co.uk"), or None if there is none."""
    if not url:
        return None
    candidate = url.strip()
    if "://" not in candidate:
        candidate = "http://" + candidate
    try:
        host = urlsplit(candidate).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host

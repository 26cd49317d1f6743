"""One comparison key per web address, so that two spellings of a link match.

Articles, sidecars, annotations and Hypothesis exports cite the same page
as ``http://www.site.org/a/``, ``https://site.org/a?utm_source=x`` or
``site.org/a#top``.  ``normalize_url`` reduces all of them to one key
(``site.org/a``): scheme, ``www.``, default port, trailing slash, fragment
and tracking parameters (``utm_*``, ``fbclid``, ``gclid``… as listed by
courlan, trafilatura's own URL library) are ignored; the remaining query is
sorted.  The key is for matching only, never for display or linking.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
# Tracking parameters courlan's list misses (``ref=twitter``, ``ns_*``, …).
_EXTRA_TRACKERS = re.compile(r"^(?:ref|ref_src|ref_url|ns_[a-z]+|s_cid|cmpid|smid|sref|__twitter_impression|at_[a-z]+)$", re.I)


@lru_cache(maxsize=65536)
def normalize_url(url: str | None) -> str | None:
    """The matching key of an http(s) URL (``host/path?query``), or None.

    ``www.``-addresses without a scheme count as http.  Anything that is not
    an http(s) address (``mailto:``, relative paths, junk) gives None, so it
    never matches an article.
    """
    if not url:
        return None
    from courlan import (
        normalize_url as _courlan_normalize,  # imported on first use: a rebuild from the cache needs none
    )

    candidate = url.strip()
    if candidate.startswith("//"):
        candidate = "http:" + candidate
    elif not _SCHEME.match(candidate):
        if not candidate.lower().startswith("www."):
            return None
        candidate = "http://" + candidate
    try:
        parts = urlsplit(candidate)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        cleaned = urlsplit(_courlan_normalize(candidate, trailing_slash=False))
        port = cleaned.port if cleaned.port not in (80, 443) else None
    except (ValueError, UnicodeError):
        return None
    host = (cleaned.hostname or "").rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    netloc = f"{host}:{port}" if port else host
    path = cleaned.path.rstrip("/")
    query = "&".join(p for p in cleaned.query.split("&") if p and not _EXTRA_TRACKERS.match(p.split("=", 1)[0]))
    return netloc + path + (f"?{query}" if query else "")

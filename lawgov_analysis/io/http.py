"""Polite HTTP with a raw-response cache, for :mod:`lawgov_analysis.io.fetch`.

:class:`FetchSettings` holds every politeness and size setting in one object; :class:`PoliteClient` applies them
to each request — robots.txt (protego), a per-host delay (robots.txt ``Crawl-delay`` wins when longer), a
User-Agent naming the tool, timeouts, retries with exponential backoff on 5xx and timeouts, redirects followed
by hand (only to http/https, each checked against robots.txt), a bound on the decoded body — and caches final
responses. An ``httpx.Client`` of your own (proxies, certificates, a test transport) is wrapped with the same
settings: politeness never switches off because a client was passed in.
"""

from __future__ import annotations

import dataclasses
import email.message
import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .readers import MAX_EXPANDED_BYTES, MAX_TEXT_CHARS, ReadLimits, human_bytes

log = logging.getLogger(__name__)


def user_agent() -> str:
    """The User-Agent sent with every request: ``lawgov-analysis/<version> (+<project page>)``."""
    from .. import __version__

    return f"lawgov-analysis/{__version__} (+https://pypi.org/project/lawgov-analysis/)"


class FetchError(Exception):
    """A URL cannot be fetched; the message is the reason shown in the account."""


class RobotsDisallowed(FetchError):
    """robots.txt disallows the URL for our User-Agent."""


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how much to fetch. Every field is keyword-only in spirit: ``FetchSettings(delay=2)``.

    Attributes
    ----------
    delay
        Seconds between two requests to one host (robots.txt ``Crawl-delay`` wins when longer). Default 1.
    timeout
        Seconds before a request times out. Default 30.
    retries, backoff
        Retries on 5xx and timeouts, waiting ``backoff × 2^k`` seconds before retry ``k + 1``. Default 3, 1.
    max_bytes
        Largest response body accepted, counted after content decoding (gzip, deflate, brotli), so a
        compressed response cannot expand past it. Default 20 MB.
    max_redirects
        Redirects followed per URL (only to http/https). Default 5.
    max_expanded_bytes, max_chars
        Bounds for reading an attachment (.docx/.pdf …), as the loader reads files
        (:class:`~lawgov_analysis.io.readers.ReadLimits`).
    agent
        User-Agent (default :func:`user_agent`).
    cache
        Raw-response cache folder (None: ``<cache_dir()>/fetch``).
    refresh
        Download again instead of reading the cache.
    """

    delay: float = 1.0
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    max_expanded_bytes: int = MAX_EXPANDED_BYTES
    max_chars: int = MAX_TEXT_CHARS
    agent: str | None = None
    cache: str | Path | None = None
    refresh: bool = False

    def __post_init__(self):
        for name in ("delay", "backoff"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0, got {getattr(self, name)!r}")
        for name in ("retries", "max_redirects"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an integer >= 0, got {value!r}")
        if self.timeout <= 0:
            raise ValueError(f"timeout must be > 0, got {self.timeout!r}")
        if isinstance(self.max_bytes, bool) or not isinstance(self.max_bytes, int) or self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be a positive integer, got {self.max_bytes!r}")
        _ = self.limits  # validates max_expanded_bytes and max_chars

    @property
    def limits(self) -> ReadLimits:
        """The reading bounds for fetched attachments."""
        return ReadLimits(max_bytes=self.max_bytes, max_expanded_bytes=self.max_expanded_bytes,
                          max_chars=self.max_chars)

    def replace(self, **changes) -> FetchSettings:
        """A copy with ``changes`` applied (``settings.replace(delay=0)``)."""
        return dataclasses.replace(self, **changes)


@dataclass
class Response:
    """One final HTTP response (after redirects), as stored in the cache."""

    url: str
    final_url: str
    status: int
    content_type: str
    fetched_at: str
    body: bytes
    from_cache: bool = False

    @property
    def charset(self) -> str:
        msg = email.message.Message()
        msg["content-type"] = self.content_type or "application/octet-stream"
        return (msg.get_content_charset() or "").lower()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and rename it: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class PoliteClient:
    """An HTTP client that applies :class:`FetchSettings` to every request and caches final responses.

    Parameters
    ----------
    settings
        Politeness and bounds (default ``FetchSettings()``).
    http
        An ``httpx.Client`` of your own to send the requests through (proxies, certificates, a mock
        transport). The settings are applied to it per request: timeout, User-Agent, no automatic redirects,
        the body bound, the delay, retries and robots.txt. None: a client is made (and closed by :meth:`close`).

    Notes
    -----
    ``requests_made`` counts the requests actually sent (robots.txt included); ``request_log`` keeps
    ``(monotonic time, url)`` for each.
    """

    def __init__(self, settings: FetchSettings | None = None, *, http=None):
        import httpx

        self.settings = settings or FetchSettings()
        if not isinstance(self.settings, FetchSettings):
            raise TypeError(f"settings must be a FetchSettings, got {type(self.settings).__name__}")
        if http is not None and not isinstance(http, httpx.Client):
            raise TypeError(f"http must be an httpx.Client, got {type(http).__name__}")
        s = self.settings
        self.cache = Path(s.cache) if s.cache else _default_cache()
        self.agent = s.agent or user_agent()
        self._own = http is None
        self._client = http if http is not None else httpx.Client(follow_redirects=False)
        if not self._own:
            log.info("fetch: sending through the given httpx client with delay %gs, timeout %gs, %d retries, "
                     "bodies up to %s", s.delay, s.timeout, s.retries, human_bytes(s.max_bytes))
        self._last: dict[str, float] = {}
        self._robots: dict[str, object] = {}
        self._refreshed: set[str] = set()
        self.requests_made = 0
        self.request_log: list[tuple[float, str]] = []

    def close(self) -> None:
        """Close the HTTP client if this object made it (a client passed in stays open)."""
        if self._own:
            self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- cache ---------------------------------------------------------------------------------------------
    def _key(self, url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()

    def _cached(self, url: str) -> Response | None:
        if self.settings.refresh and url not in self._refreshed:
            return None
        key = self._key(url)
        meta_file, body_file = self.cache / f"{key}.json", self.cache / f"{key}.body"
        if not (meta_file.is_file() and body_file.is_file()):
            return None
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        return Response(body=body_file.read_bytes(), from_cache=True, **meta)

    def _store(self, response: Response) -> None:
        self._refreshed.add(response.url)
        key = self._key(response.url)
        meta = {k: getattr(response, k) for k in ("url", "final_url", "status", "content_type", "fetched_at")}
        atomic_write(self.cache / f"{key}.body", response.body)  # body first: meta marks the entry complete
        atomic_write(self.cache / f"{key}.json", json.dumps(meta, ensure_ascii=False).encode("utf-8"))

    # -- politeness ----------------------------------------------------------------------------------------
    def _wait(self, host: str, extra: float = 0.0) -> None:
        delay = max(self.settings.delay, extra)
        last = self._last.get(host)
        if last is not None:
            pause = last + delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    def _robots_for(self, url: str):
        from protego import Protego

        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            try:
                response = self._get(f"{origin}/robots.txt", check_robots=False)
            except FetchError as exc:
                self._robots[origin] = FetchError(f"robots.txt unavailable ({exc})")
            else:
                if response.status >= 500:
                    self._robots[origin] = FetchError(f"robots.txt unavailable (HTTP {response.status})")
                elif response.status >= 400:
                    self._robots[origin] = Protego.parse("")  # no robots.txt: everything allowed
                else:
                    text = response.body.decode("utf-8", errors="replace")
                    self._robots[origin] = Protego.parse(text)
        return self._robots[origin]

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets our User-Agent fetch ``url`` (fetches and caches robots.txt first)."""
        robots = self._robots_for(url)
        if isinstance(robots, FetchError):
            raise robots
        return robots.can_fetch(url, self.agent)

    def _crawl_delay(self, url: str) -> float:
        parts = urlsplit(url)
        robots = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        if robots is None or isinstance(robots, FetchError):
            return 0.0
        return float(robots.crawl_delay(self.agent) or 0.0)

    # -- requests ------------------------------------------------------------------------------------------
    def get(self, url: str) -> Response:
        """Fetch ``url`` (following up to ``max_redirects`` redirects to http/https, each checked against
        robots.txt).

        Returns the final response whatever its status; raises :class:`RobotsDisallowed` or
        :class:`FetchError` (timeout, connection error, 5xx after retries, too large, too many redirects, a
        redirect to another scheme).
        """
        return self._get(url, check_robots=True)

    def _get(self, url: str, *, check_robots: bool) -> Response:
        if urlsplit(url).scheme.lower() not in ("http", "https"):
            raise FetchError(f"not an http(s) URL: {url[:200]}")
        cached = self._cached(url)
        if cached is not None:
            return cached
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            if check_robots and not self.allowed(current):
                raise RobotsDisallowed("robots.txt disallows " + ("it" if current == url else current))
            status, content_type, body, location = self._send(current)
            if status in (301, 302, 303, 307, 308) and location:
                target = urljoin(current, location)
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    raise FetchError(f"redirect to a non-http(s) URL ({target[:200]})")
                current = target
                continue
            response = Response(url=url, final_url=current, status=status, content_type=content_type,
                                fetched_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), body=body)
            self._store(response)
            return response
        raise FetchError(f"more than {self.settings.max_redirects} redirects")

    def _send(self, url: str) -> tuple[int, str, bytes, str]:
        """One request with retries; returns ``(status, content_type, body, location)``."""
        import httpx

        s = self.settings
        host = urlsplit(url).netloc
        extra = self._crawl_delay(url)
        last_error = ""
        for attempt in range(s.retries + 1):
            if attempt:
                time.sleep(s.backoff * 2 ** (attempt - 1))
            self._wait(host, extra)
            self.requests_made += 1
            self.request_log.append((time.monotonic(), url))
            try:
                with self._client.stream("GET", url, headers={"User-Agent": self.agent}, timeout=s.timeout,
                                         follow_redirects=False) as response:
                    length = response.headers.get("content-length", "")
                    if length.isdigit() and int(length) > s.max_bytes:
                        raise FetchError(f"larger than {human_bytes(s.max_bytes)} ({human_bytes(int(length))})")
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():  # decoded: a compressed body is bounded as it expands
                        size += len(chunk)
                        if size > s.max_bytes:
                            raise FetchError(f"larger than {human_bytes(s.max_bytes)}"
                                             + (" once decompressed" if response.headers.get("content-encoding")
                                                else ""))
                        chunks.append(chunk)
                    status = response.status_code
                    content_type = response.headers.get("content-type", "")
                    location = response.headers.get("location", "")
            except httpx.TimeoutException:
                last_error = f"timed out after {s.timeout:g} s"
                continue
            except httpx.DecodingError as exc:
                raise FetchError(f"cannot decode the response ({exc})") from None
            except httpx.TransportError as exc:
                last_error = f"connection error ({type(exc).__name__}: {exc})"
                continue
            finally:
                self._last[host] = time.monotonic()
            if status >= 500:
                last_error = f"HTTP {status}"
                continue
            return status, content_type, b"".join(chunks), location
        tries = s.retries + 1
        raise FetchError(f"{last_error} ({tries} attempt{'s' if tries > 1 else ''})")


def _default_cache() -> Path:
    from ..core.config import cache_dir

    return cache_dir() / "fetch"

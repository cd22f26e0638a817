"""Fetching an article over HTTP(S), with a timeout, a size cap, and no requests to private networks.

Every host (the first and each redirect's) is resolved and refused when any of its addresses is loopback,
private, link-local, multicast, reserved or unspecified, unless ``allow_private`` is set.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsift import __version__
from newsift.errors import InputError

TIMEOUT_SECONDS = 15.0
USER_AGENT = f"newsift/{__version__} (+https://github.com/newsift/newsift)"
MAX_REDIRECTS = 5


@dataclass
class Fetched:
    url: str
    content_type: str
    body: bytes


def check_host(url: str, allow_private: bool) -> None:
    """Refuse non-HTTP schemes, and hosts that resolve to non-public addresses unless allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url}: only http:// and https:// URLs can be fetched")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"{url}: cannot resolve host {parts.hostname!r} ({exc})") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            raise InputError(
                f"{url}: refusing to fetch from non-public address {address} (use --allow-private to allow)"
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib hook
        check_host(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(url: str, *, max_bytes: int, allow_private: bool = False,
              timeout: float = TIMEOUT_SECONDS) -> Fetched:
    """GET ``url`` and return its body, or :class:`InputError` with the reason it could not be had."""
    check_host(url, allow_private)
    opener = urllib.request.build_opener(_CheckedRedirects(allow_private))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(f"{url}: {int(length):,} bytes is larger than the cap of {max_bytes:,}")
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise InputError(f"{url}: larger than the cap of {max_bytes:,} bytes")
            return Fetched(url=response.geturl(), content_type=response.headers.get_content_type(), body=body)
    except urllib.error.HTTPError as exc:
        raise InputError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise InputError(f"{url}: unreachable ({exc.reason})") from None
    except TimeoutError:
        raise InputError(f"{url}: no answer within {timeout:g} s") from None
    except (ConnectionError, OSError) as exc:
        raise InputError(f"{url}: connection failed ({exc})") from None

"""The web app's guards: a cap on request bodies, the write token, CSRF protection, security headers.

- Body cap: a request whose ``Content-Length`` exceeds the cap is answered 413 before its body is read; a
  body without a length (chunked) is counted as it streams and cut at the cap (:class:`BodyTooLarge`).
- Write token: when the app has a token, every request that may write (any method but GET, HEAD, OPTIONS)
  must carry it, as ``Authorization: Bearer T``, ``X-Newsift-Token: T`` or the ``newsift_token`` cookie
  that ``POST /login`` sets. Tokens are compared in constant time.
- CSRF: HTML forms carry a random ``csrf`` field that must equal the ``newsift_csrf`` cookie (double
  submit; the cookie is SameSite=Strict); a request whose ``Origin`` names another site is refused; API
  writes must be ``application/json``, which a cross-site form cannot send without a CORS preflight (the
  app answers none).
- Headers: a Content-Security-Policy that allows only the app's own scripts (no inline script, no
  ``eval``), ``nosniff``, no framing, no referrer.
"""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_COOKIE = "newsift_csrf"
TOKEN_COOKIE = "newsift_token"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class BodyTooLarge(Exception):
    """A request body longer than the app's cap."""

    def __init__(self, cap: int) -> None:
        super().__init__(f"the request is larger than the upload cap of {cap:,} bytes")
        self.cap = cap


class Refused(Exception):
    """A request refused by a guard: its status and the reason shown to the person."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two non-empty strings."""
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _cookies(scope: Scope) -> dict[str, str]:
    out = {}
    for part in (_header(scope, b"cookie") or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key:
            out[key] = value
    return out


def presented_token(scope: Scope) -> str | None:
    """The write token a request carries (header or cookie), if any."""
    auth = _header(scope, b"authorization") or ""
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return _header(scope, b"x-newsift-token") or _cookies(scope).get(TOKEN_COOKIE)


def check_write(scope: Scope, token: str | None) -> None:
    """Raise :class:`Refused` unless a write request may go ahead (see the module docstring)."""
    origin = _header(scope, b"origin")
    host = _header(scope, b"host")
    if origin and origin != "null" and urlsplit(origin).netloc != host:
        raise Refused(403, f"cross-site request from {origin} refused")
    if token is not None and scope["path"] != "/login" and not same(presented_token(scope), token):
        raise Refused(
            401, "this server needs its access token for changes: sign in at /login or send Authorization: Bearer TOKEN"
        )
    content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
    if scope["path"].startswith("/api/") and content_type != "application/json":
        raise Refused(415, "API requests that change something must be application/json")


def check_form_csrf(cookie: str | None, field: str | None) -> None:
    if not same(cookie, field):
        raise Refused(403, "the form has expired or did not come from this site; reload the page and try again")


class Guard:
    """ASGI middleware applying the body cap, the write checks and the security headers."""

    def __init__(self, app: ASGIApp, cap: int, token: str | None, on_refused) -> None:
        self.app, self.cap, self.token, self.on_refused = app, cap, token, on_refused

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        if scope["method"] not in SAFE_METHODS:
            try:
                length = _header(scope, b"content-length")
                if length is not None and not length.isdigit():
                    raise Refused(400, f"invalid Content-Length {length!r}")
                if length is not None and int(length) > self.cap:
                    raise Refused(413, str(BodyTooLarge(self.cap)))
                check_write(scope, self.token)
            except Refused as refused:
                await self.on_refused(scope, refused)(scope, receive, send_with_headers)
                return
            receive = self._capped(receive)
        await self.app(scope, receive, send_with_headers)

    def _capped(self, receive: Receive) -> Receive:
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.cap:
                    raise BodyTooLarge(self.cap)
            return message

        return capped

"""A small sign-in scheme for a team: named tokens, a signed session cookie, CSRF tokens.

Tokens come from ``DYAD_TOKENS`` ("alice:token1,bob:token2") or a file named by
``DYAD_TOKENS_FILE`` (one ``name:token`` a line). The session cookie is ``name.signature``
(HMAC-SHA256 with ``DYAD_SECRET``, or a random secret per server start); every form carries a
CSRF token derived from the session.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

COOKIE = "dyad_session"


class Auth:
    """Checks tokens, signs sessions and makes CSRF tokens."""

    def __init__(self, tokens: dict[str, str] | None = None, secret: str | None = None) -> None:
        self.tokens = tokens if tokens is not None else load_tokens()
        self.secret = (secret or os.environ.get("DYAD_SECRET") or secrets.token_hex(32)).encode()

    def _sign(self, value: str) -> str:
        return hmac.new(self.secret, value.encode(), hashlib.sha256).hexdigest()

    def sign_in(self, name: str, token: str) -> str | None:
        """The session cookie value for a valid name and token, else None."""
        expected = self.tokens.get(name)
        if expected is None or not hmac.compare_digest(expected, token):
            return None
        return f"{name}.{self._sign(name)}"

    def user(self, cookie: str | None) -> str | None:
        """The signed-in user of a session cookie, or None."""
        if not cookie or "." not in cookie:
            return None
        name, _, signature = cookie.rpartition(".")
        return name if hmac.compare_digest(self._sign(name), signature) else None

    def csrf(self, cookie: str | None) -> str:
        """The CSRF token for a session (empty without one)."""
        return self._sign(f"csrf:{cookie}") if cookie else ""

    def bearer(self, header: str | None) -> str | None:
        """The user of an ``Authorization: Bearer TOKEN`` header, or None."""
        if not header or not header.lower().startswith("bearer "):
            return None
        token = header[7:].strip()
        for name, expected in self.tokens.items():
            if hmac.compare_digest(expected, token):
                return name
        return None


def load_tokens() -> dict[str, str]:
    """Team tokens from the environment (see the module docstring)."""
    raw = os.environ.get("DYAD_TOKENS", "")
    path = os.environ.get("DYAD_TOKENS_FILE")
    if path and Path(path).exists():
        raw += "," + ",".join(Path(path).read_text("utf-8").split())
    pairs = (item.split(":", 1) for item in raw.split(",") if ":" in item)
    return {name.strip(): token.strip() for name, token in pairs if name.strip() and token.strip()}

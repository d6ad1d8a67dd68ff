"""Log in with Discord: OAuth2's authorization code with PKCE and a state, and the session.

The session lives in a cookie signed with BOT_WEB_SECRET_KEY (HMAC-SHA256), http-only, same-site
Lax and, over https, secure. It holds who the member is, the servers they share with the bot
(and whether they may manage each, as Discord said at login), a CSRF token for forms, and their
OAuth2 token, so an admin action can ask Discord again. The client secret never leaves the
token request.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import aiohttp

SESSION_COOKIE = "session"
FLOW_COOKIE = "oauth_flow"
SESSION_SECONDS = 7 * 24 * 3600
FLOW_SECONDS = 600
SCOPES = "identify guilds"
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
DISCORD_TIMEOUT_S = 10.0


class Signer:
    def __init__(self, key: str) -> None:
        self._key = hashlib.sha256(key.encode()).digest()

    def sign(self, payload: dict[str, Any]) -> str:
        body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode())
        mac = hmac.new(self._key, body, hashlib.sha256).hexdigest()
        return f"{body.decode()}.{mac}"

    def unsign(self, value: str | None) -> dict[str, Any] | None:
        """The payload, or None for anything forged, damaged or expired."""
        if not value or value.count(".") != 1:
            return None
        body, mac = value.split(".")
        expected = hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(mac, expected):
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(body.encode()))
        except (ValueError, binascii.Error):
            return None
        if not isinstance(payload, dict) or payload.get("exp", 0) < time.time():
            return None
        return payload


@dataclass(frozen=True)
class SharedGuild:
    guild_id: int
    name: str
    manage: bool


@dataclass(frozen=True)
class Session:
    user_id: int
    name: str
    locale: str
    guilds: tuple[SharedGuild, ...]
    csrf: str
    token: str
    exp: float

    def guild(self, guild_id: int) -> SharedGuild | None:
        return next((g for g in self.guilds if g.guild_id == guild_id), None)

    def to_payload(self) -> dict[str, Any]:
        payload = asdict(self)
        payload["guilds"] = [asdict(g) for g in self.guilds]
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Session | None:
        try:
            return cls(
                user_id=int(payload["user_id"]),
                name=str(payload["name"]),
                locale=str(payload["locale"]),
                guilds=tuple(SharedGuild(**g) for g in payload["guilds"]),
                csrf=str(payload["csrf"]),
                token=str(payload["token"]),
                exp=float(payload["exp"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


def authorize_url(api_base: str) -> str:
    """Discord's consent page sits beside the API: https://discord.com/oauth2/authorize."""
    parts = urlsplit(api_base)
    root = parts.path.split("/api")[0]
    return urlunsplit((parts.scheme, parts.netloc, f"{root}/oauth2/authorize", "", ""))


@dataclass(frozen=True)
class DiscordOAuth:
    api_base: str
    client_id: int
    client_secret: str
    redirect_uri: str

    def login_redirect(self, state: str, challenge: str) -> str:
        query = {
            "response_type": "code",
            "client_id": str(self.client_id),
            "scope": SCOPES,
            "state": state,
            "redirect_uri": self.redirect_uri,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "prompt": "none",
        }
        return f"{authorize_url(self.api_base)}?{urlencode(query)}"

    async def exchange(self, code: str, verifier: str) -> str:
        """The access token for an authorization code (raises aiohttp.ClientError)."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "code_verifier": verifier,
        }
        credentials = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode())
        headers = {"Authorization": f"Basic {credentials.decode()}"}
        async with (
            _session() as http,
            http.post(f"{self.api_base}/oauth2/token", data=form, headers=headers) as response,
        ):
            response.raise_for_status()
            return str((await response.json())["access_token"])

    async def identity(self, token: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The member (identify) and their servers with their permissions there (guilds)."""
        headers = {"Authorization": f"Bearer {token}"}
        async with _session() as http:
            async with http.get(f"{self.api_base}/users/@me", headers=headers) as response:
                response.raise_for_status()
                user = await response.json()
            async with http.get(f"{self.api_base}/users/@me/guilds", headers=headers) as response:
                response.raise_for_status()
                guilds = await response.json()
        return user, guilds


def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=DISCORD_TIMEOUT_S))


def can_manage(permissions: str | int) -> bool:
    bits = int(permissions)
    return bool(bits & MANAGE_GUILD or bits & ADMINISTRATOR)


def new_session(
    user: dict[str, Any], guilds: list[dict[str, Any]], known: set[int], token: str
) -> Session:
    """Only the servers the member shares with the bot (`known`) are kept."""
    shared = tuple(
        SharedGuild(int(g["id"]), str(g.get("name", "")), can_manage(g.get("permissions", 0)))
        for g in guilds
        if int(g["id"]) in known
    )
    return Session(
        user_id=int(user["id"]),
        name=str(user.get("global_name") or user.get("username") or user["id"]),
        locale=str(user.get("locale") or "en-US"),
        guilds=shared,
        csrf=secrets.token_urlsafe(24),
        token=token,
        exp=time.time() + SESSION_SECONDS,
    )

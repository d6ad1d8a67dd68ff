"""Discord's OAuth2 authorization-code flow (with PKCE), as the web companion uses it.

- ``GET /oauth2/authorize``: Discord's consent page. The emulator shows one form: the user to
  authorize as (any user it knows; ``signed_in``, when set, is chosen without a page, as a
  browser already logged in to Discord would be) and an Authorize button.
- ``POST /api/v10/oauth2/token``: exchanges the code, checking the client's id and secret, the
  redirect URI and the PKCE verifier (S256) exactly; a code works once.
- ``GET /api/v10/users/@me`` and ``/users/@me/guilds`` with ``Authorization: Bearer``: the user
  the token was granted for, and the guilds they are in with their permissions there.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from .models import Guild, User
from .permissions import base_permissions
from .state import EmulatorState

SCOPES = frozenset({"identify", "guilds"})


@dataclass
class Grant:
    user_id: int
    redirect_uri: str
    challenge: str
    scopes: frozenset[str]


@dataclass
class OAuth2:
    state: EmulatorState
    client_id: int
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    signed_in: User | None = None
    codes: dict[str, Grant] = field(default_factory=dict)
    tokens: dict[str, tuple[int, frozenset[str]]] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)  # why requests were refused, for tests
    # A user's Discord language, as /users/@me says it (en-US unless set here).
    locales: dict[int, str] = field(default_factory=dict)

    def routes(self, app: web.Application, api_prefix: str, api: Any) -> None:
        app.router.add_route("GET", "/oauth2/authorize", self.authorize_page)
        app.router.add_route("POST", "/oauth2/authorize", self.authorize)
        app.router.add_route("POST", api_prefix + "/oauth2/token", self.token)
        for path, handler in (("/users/@me", self.me), ("/users/@me/guilds", self.my_guilds)):
            app.router.add_route("GET", api_prefix + path, self._bearer_or(handler, api))

    # --- the consent page -----------------------------------------------------------------

    def _check_request(self, query: Any) -> tuple[str, str, str, frozenset[str]]:
        scopes = frozenset(str(query.get("scope", "")).split())
        problems = [
            why
            for why, bad in (
                ("response_type must be code", query.get("response_type") != "code"),
                ("unknown client_id", query.get("client_id") != str(self.client_id)),
                ("scope must be identify and guilds", not scopes or not scopes <= SCOPES),
                ("state is required", not query.get("state")),
                ("redirect_uri is required", not query.get("redirect_uri")),
                ("PKCE S256 is required", query.get("code_challenge_method") != "S256"),
                ("code_challenge is required", not query.get("code_challenge")),
            )
            if bad
        ]
        if problems:
            self.refused.extend(problems)
            raise web.HTTPBadRequest(text="; ".join(problems))
        return (
            str(query["redirect_uri"]),
            str(query["state"]),
            str(query["code_challenge"]),
            scopes,
        )

    def _redirect(self, query: Any, user_id: int) -> web.HTTPFound:
        redirect_uri, state, challenge, scopes = self._check_request(query)
        code = secrets.token_urlsafe(16)
        self.codes[code] = Grant(user_id, redirect_uri, challenge, scopes)
        return web.HTTPFound(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")

    async def authorize_page(self, request: web.Request) -> web.Response:
        self._check_request(request.query)
        if self.signed_in is not None:
            raise self._redirect(request.query, self.signed_in.id)
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in request.query.items()
        )
        options = "".join(
            f'<option value="{u.id}">{html.escape(u.username)}</option>'
            for u in self.state.users.values()
            if not u.bot
        )
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize</title>'
            "</head><body><main><h1>An application wants to access your account</h1>"
            f'<form method="post">{hidden}<label for="user">Log in as</label> '
            f'<select id="user" name="user_id">{options}</select> '
            '<button type="submit">Authorize</button></form></main></body></html>'
        )
        return web.Response(text=page, content_type="text/html")

    async def authorize(self, request: web.Request) -> web.Response:
        form = await request.post()
        user = self.state.users.get(int(str(form.get("user_id", "0")) or 0))
        if user is None:
            raise web.HTTPBadRequest(text="unknown user")
        raise self._redirect(form, user.id)

    # --- the token endpoint ---------------------------------------------------------------

    def _client_ok(self, request: web.Request, form: Any) -> bool:
        client_id, secret = str(form.get("client_id", "")), str(form.get("client_secret", ""))
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            decoded = base64.b64decode(header[6:]).decode()
            client_id, _, secret = decoded.partition(":")
        return client_id == str(self.client_id) and secrets.compare_digest(
            secret, self.client_secret
        )

    async def token(self, request: web.Request) -> web.Response:
        form = await request.post()
        grant = self.codes.pop(str(form.get("code", "")), None)
        verifier = str(form.get("code_verifier", ""))
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        problems = [
            why
            for why, bad in (
                ("invalid client", not self._client_ok(request, form)),
                (
                    "grant_type must be authorization_code",
                    form.get("grant_type") != "authorization_code",
                ),
                ("invalid or used code", grant is None),
                (
                    "redirect_uri does not match",
                    grant is not None and form.get("redirect_uri") != grant.redirect_uri,
                ),
                (
                    "PKCE verifier does not match",
                    grant is not None and digest.decode().rstrip("=") != grant.challenge,
                ),
            )
            if bad
        ]
        if problems or grant is None:
            self.refused.extend(problems)
            return web.json_response({"error": "invalid_grant", "detail": problems}, status=400)
        access = secrets.token_urlsafe(24)
        self.tokens[access] = (grant.user_id, grant.scopes)
        return web.json_response(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": 604800,
                "refresh_token": secrets.token_urlsafe(24),
                "scope": " ".join(sorted(grant.scopes)),
            }
        )

    # --- what a token reads ---------------------------------------------------------------

    def _bearer_or(self, handler: Any, api: Any) -> Any:
        async def route(request: web.Request) -> web.StreamResponse:
            if request.headers.get("Authorization", "").startswith("Bearer "):
                return await handler(request)
            return await api.handle(request)

        return route

    def _granted(self, request: web.Request, scope: str) -> User:
        token = request.headers.get("Authorization", "")[len("Bearer ") :]
        granted = self.tokens.get(token)
        if granted is None or scope not in granted[1]:
            self.refused.append(f"bearer token without {scope}")
            raise web.HTTPUnauthorized(
                text=json.dumps({"message": "401: Unauthorized", "code": 0}),
                content_type="application/json",
            )
        return self.state.users[granted[0]]

    async def me(self, request: web.Request) -> web.Response:
        user = self._granted(request, "identify")
        return web.json_response(
            {
                "id": str(user.id),
                "username": user.username,
                "global_name": user.global_name,
                "avatar": None,
                "discriminator": "0",
                "locale": self.locales.get(user.id, "en-US"),
            }
        )

    async def my_guilds(self, request: web.Request) -> web.Response:
        user = self._granted(request, "guilds")
        return web.json_response(
            [_partial_guild(g, user) for g in self.state.guilds.values() if _member(g, user)]
        )


def _member(guild: Guild, user: User) -> bool:
    return not guild.removed and user.id in guild.members


def _partial_guild(guild: Guild, user: User) -> dict[str, Any]:
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "owner": guild.owner_id == user.id,
        "permissions": str(base_permissions(guild, guild.members[user.id])),
        "features": [],
    }

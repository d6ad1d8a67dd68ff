"""Rendering: Jinja2 templates shipped in the package, autoescaped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

from bot.content.schema import ROUNDS, round_label
from bot.web.keys import SESSION, TEMPLATES

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(rounds=ROUNDS, round_label=round_label)
    return env


def render(
    request: web.Request, template: str, *, status: int = 200, **context: Any
) -> web.Response:
    env = request.app[TEMPLATES]
    context.setdefault("viewer", request.get(SESSION))
    body = env.get_template(template).render(**context)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def not_found(request: web.Request, what: str = "This page does not exist.") -> web.Response:
    return render(request, "error.html", status=404, title="Not found", message=what)


def redirect(location: str) -> web.Response:
    return web.Response(status=302, headers={"Location": location})

"""`python -m bot [run|sync|migrate|doctor|content|grade|judge|eval|privacy|demo]`."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import logging
import signal
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import discord

from bot.domain.grading import GradingUnavailable
from bot.llm.base import Grader
from bot.llm.cli import unavailable_message
from bot.settings import Settings, SettingsError, load_settings, require_token
from bot.store.database import DatabaseTooNew

log = logging.getLogger("bot")
# `eval` ran but a goal failed (1 is "the AI cannot grade now", 2 bad input).
EVAL_GOAL_FAILED = 3


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )
    logging.getLogger("discord").setLevel(max(logging.getLevelName(level), logging.INFO))
    logging.getLogger("apscheduler").setLevel(max(logging.getLevelName(level), logging.WARNING))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("run", help="connect to Discord and serve (the default)")
    sub.add_parser("sync", help="push the slash-command tree to Discord now")
    sub.add_parser("migrate", help="apply database migrations and exit")
    sub.add_parser(
        "doctor", help="check the token, intents, daily channels, database and Anthropic key"
    )
    content = sub.add_parser("content", help="check or export the question packs")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    check = content_sub.add_parser(
        "check", help="validate every pack; list problems as file: id: problem"
    )
    check.add_argument(
        "--pending", action="store_true", help="also list questions still waiting for review"
    )
    check.add_argument(
        "--no-code", action="store_true", help="skip running the coding questions' solutions"
    )
    content_sub.add_parser(
        "report", help="counts, closest pair, pasted-prompt scores, rotation length"
    )
    export = content_sub.add_parser("export", help="print every question")
    export.add_argument("--format", choices=["json"], default="json")
    grade = sub.add_parser("grade", help="grade one answer against a question's rubric")
    grade.add_argument("--question", required=True, help="question id")
    grade.add_argument("--file", type=Path, help="answer file (default: standard input)")
    grade.add_argument("--format", choices=["text", "json"], default="text")
    judge = sub.add_parser("judge", help="run code against a coding question's tests")
    judge.add_argument("--question", required=True, help="question id")
    judge.add_argument("--file", type=Path, help="code file (default: standard input)")
    judge.add_argument("--language", choices=["python", "javascript"], default="python")
    judge.add_argument("--format", choices=["text", "json"], default="text")
    sub.add_parser("eval", help="run the grader evaluation set and print agreement figures")
    db = sub.add_parser("db", help="database operations")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    copy = db_sub.add_parser(
        "copy", help="copy the SQLite database into an empty PostgreSQL one and verify it"
    )
    copy.add_argument("--to", required=True, metavar="URL", help="postgresql://user@host/db")
    privacy = sub.add_parser(
        "privacy", help="a member's data request from outside Discord, across every server"
    )
    privacy_sub = privacy.add_subparsers(dest="privacy_command", required=True)
    privacy_export = privacy_sub.add_parser("export", help="print everything stored, as JSON")
    privacy_export.add_argument("--user", type=int, required=True, help="Discord user id")
    privacy_delete = privacy_sub.add_parser(
        "delete", help="delete it (shared rows are kept without the member's id)"
    )
    privacy_delete.add_argument("--user", type=int, required=True, help="Discord user id")
    privacy_delete.add_argument("--yes", action="store_true", help="do not ask to confirm")
    sub.add_parser("web", help="serve the web companion (boards, progress, transcripts)")
    demo = sub.add_parser("demo", help="run a scripted session against the built-in emulator")
    demo.add_argument("--keep", type=Path, help="keep the demo database at this path")
    return parser


async def _serve(settings: Settings, *, sync_only: bool) -> int:
    from bot.app import make_bot, point_at_discord

    token = require_token(settings)
    point_at_discord(settings)
    bot = make_bot(settings, sync_only=sync_only)
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    closing: list[asyncio.Task[None]] = []

    def _stop() -> None:
        if not stopping.is_set():
            stopping.set()
            log.info("shutting down")
            closing.append(loop.create_task(bot.close()))

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, _stop)
    async with bot:
        if sync_only:
            await bot.login(token)
            await bot.sync_commands(force=True)
            return 0
        try:
            await bot.start(token)
        except Exception as exc:
            if stopping.is_set():
                await asyncio.gather(*closing)
                return 0
            if isinstance(exc, discord.LoginFailure):
                raise SettingsError(
                    "DISCORD_TOKEN was rejected by Discord: copy the token again from the "
                    "developer portal into .env"
                ) from None
            if isinstance(exc, discord.PrivilegedIntentsRequired):
                raise SettingsError(
                    "BOT_MESSAGE_CONTENT=true needs the Message Content intent enabled in the "
                    "developer portal (Bot tab), or set BOT_MESSAGE_CONTENT=false"
                ) from None
            raise
    # The client returns from start() while close() is still saving; let it finish.
    await asyncio.gather(*closing)
    return 0


async def _migrate(settings: Settings) -> int:
    from bot.store import Store

    store = Store(settings.database_location())
    applied = await store.open()
    version = await store.db.schema_version()
    await store.close()
    print(f"database {store.db.where}: schema version {version}, applied {applied}")
    return 0


async def _db_copy(settings: Settings, url: str) -> int:
    from bot.store.copy import CopyRefused, copy_file_to
    from bot.store.postgres import is_postgres_url

    if not is_postgres_url(url):
        print("error: --to must be a postgresql:// URL", file=sys.stderr)
        return 2
    try:
        report = await copy_file_to(settings.bot_database_path, url)
    except CopyRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in report.lines():
        print(line)
    return 0


def _content(args: argparse.Namespace) -> int:
    from bot.content.loader import export_rows, review_packs

    bank, problems, waiting = review_packs()
    if args.content_command == "check":
        for problem in problems:
            print(problem)
        for problem in waiting if args.pending else ():
            print(f"pending: {problem}")
        if waiting:
            count = len({p.question_id for p in waiting})
            print(f"{count} question(s) pending review (--pending lists them)", file=sys.stderr)
        if problems:
            print(f"{len(problems)} problem(s) found", file=sys.stderr)
            return 1
        print(f"ok: {len(bank)} questions")
        if args.no_code:
            return 0
        from bot.runner.cli import content_code_check

        return asyncio.run(content_code_check())
    if args.content_command == "report":
        from bot.services.content_report import build_report, report_lines

        print("\n".join(report_lines(asyncio.run(build_report(bank)))))
        return 1 if problems else 0
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    print(json.dumps(export_rows(bank), indent=2, ensure_ascii=False))
    return 0


async def _grade(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content.loader import load_bank
    from bot.llm.cli import grade_cli

    bank = load_bank()
    question = bank.get(args.question)
    if question is None:
        print(f"unknown question id: {args.question}", file=sys.stderr)
        return 2
    answer = args.file.read_text(encoding="utf-8") if args.file else sys.stdin.read()
    if not answer.strip():
        print("the answer is empty", file=sys.stderr)
        return 2

    async def report(grader: Grader) -> tuple[str, int]:
        return await grade_cli(question, answer, grader, args.format), 0

    return await _print_with_grader(settings, report)


async def _eval(settings: Settings) -> int:
    from bot.llm.cli import eval_cli

    async def report(grader: Grader) -> tuple[str, int]:
        text, passed = await eval_cli(grader)
        return text, 0 if passed else EVAL_GOAL_FAILED

    return await _print_with_grader(settings, report)


async def _print_with_grader(
    settings: Settings, report: Callable[[Grader], Awaitable[tuple[str, int]]]
) -> int:
    """Print what `report` makes with the configured grader and exit with its code; 1 when the
    AI cannot grade now."""
    from bot.llm.factory import configured_grader

    grader = configured_grader(settings)
    try:
        text, code = await report(grader)
    except GradingUnavailable as exc:
        print(unavailable_message(exc), file=sys.stderr)
        return 1
    finally:
        await grader.aclose()
    print(text)
    return code


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "run"
    try:
        settings = load_settings()
        # The demo prints a transcript and the doctor a report; only problems should interrupt.
        quiet = command in ("demo", "doctor")
        configure_logging("WARNING" if quiet else settings.bot_log_level)
        if command in ("run", "sync"):
            require_token(settings)
            return asyncio.run(_serve(settings, sync_only=command == "sync"))
        if command == "migrate":
            return asyncio.run(_migrate(settings))
        if command == "doctor":
            from bot.doctor import run_doctor

            return asyncio.run(run_doctor(settings))
        if command == "content":
            return _content(args)
        if command == "db":
            return asyncio.run(_db_copy(settings, args.to))
        if command == "grade":
            return asyncio.run(_grade(settings, args))
        if command == "judge":
            from bot.runner.cli import judge_cli

            code = args.file.read_text("utf-8") if args.file else sys.stdin.read()
            return asyncio.run(judge_cli(args.question, code, args.language, args.format))
        if command == "eval":
            return asyncio.run(_eval(settings))
        if command == "demo":
            return _demo(args)
        if command == "privacy":
            from bot.privacy_cli import privacy_delete, privacy_export

            if args.privacy_command == "export":
                return asyncio.run(privacy_export(settings, args.user))
            return asyncio.run(privacy_delete(settings, args.user, yes=args.yes))
        if command == "web":
            from bot.web.server import serve

            return asyncio.run(serve(settings))
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DatabaseTooNew as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (sqlite3.DatabaseError, asyncpg.PostgresError) as exc:
        print(
            f"error: the database cannot be used ({exc}): `python -m bot doctor` checks it",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        return 0
    raise AssertionError(f"unhandled command {command}")


def _demo(args: argparse.Namespace) -> int:
    # The emulator is a development package beside `bot/`, not part of the bot's wheel: it is found
    # by name so that the bot never depends on it.
    try:
        demo = importlib.import_module("emulator.demo")
    except ModuleNotFoundError:
        print(
            "error: the demo needs the `emulator` package from a checkout of the repository:"
            " run `make demo` there",
            file=sys.stderr,
        )
        return 2
    return int(asyncio.run(demo.run_demo(keep=args.keep)))


if __name__ == "__main__":
    sys.exit(main())

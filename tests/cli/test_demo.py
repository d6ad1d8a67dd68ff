"""`python -m bot demo` as a new user runs it: no token, no key, no network."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

REPO = Path(__file__).resolve().parents[2]


def test_demo_prints_a_readable_transcript(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ANTHROPIC_", "BOT_"))
    }
    env["PYTHONPATH"] = str(REPO)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in (
        "used /daily setup",
        "bot → #daily-question: [embed] Daily question",
        "ana submitted modal",
        "Overall: ",
        "Approximate",
        "Leaderboard",
        "pts",
        "Reveal",
    ):
        assert expected in out, f"missing {expected!r} in transcript"
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()  # the demo keeps its database in a temp folder


async def test_web_demo_serves_the_demo_servers_board(tmp_path: Path) -> None:
    """`make web-demo`: after the transcript, the companion answers on localhost."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "ANTHROPIC_", "BOT_"))
    }
    env["PYTHONPATH"] = str(REPO)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    demo = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "emulator.web_demo",
        "--port",
        str(port),
        "--for",
        "60",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert demo.stdout is not None
        board = ""
        async with asyncio.timeout(120):
            while not board:
                line = (await demo.stdout.readline()).decode()
                assert line, "the web demo ended before serving"
                if "public board:" in line:
                    board = line.split("public board:")[1].strip()
        async with aiohttp.ClientSession() as http, http.get(board) as response:
            page = await response.text()
        assert response.status == 200 and "Pinterest Prep" in page and "ana" in page
    finally:
        demo.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(demo.wait(), 30) == 0

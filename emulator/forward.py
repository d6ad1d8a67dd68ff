"""A TCP forwarder for the multi-host harness (`emulator.hosts`), run as its own process:

    python -m emulator.forward 127.0.0.1:5432=10.77.1.1:5432 127.0.0.1:6379=10.77.1.1:6379 ...

Each `LISTEN=TARGET` pair accepts on LISTEN and pipes every connection to TARGET. Prints
`ready` once every listener is bound, then serves until killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable

CHUNK = 65536
Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(ConnectionError, OSError):
            writer.close()


def _relay(target: tuple[str, int]) -> Handler:
    async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, upstream_writer), _pipe(upstream_reader, writer))

    return relay


async def serve(pairs: list[str]) -> None:
    servers = []
    for pair in pairs:
        listen, _, target = pair.partition("=")
        host, port = address(listen)
        servers.append(await asyncio.start_server(_relay(address(target)), host, port))
    print("ready", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1:]))

"""Inside the sandbox: load the solution, call its function on each case, one JSON line per case.

Request on stdin: {"code": str, "function": str, "cases": [[arg, ...], ...]}. Results go to the
original stdout; the solution's own prints are sent to stderr, so they cannot break the protocol
by accident. Expected values never enter the sandbox: the bot compares outside.
"""

import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, TextIO

SOLUTION_FILE = "solution.py"
TRACE_LINES = 6


def short_trace(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == SOLUTION_FILE]
    lines = traceback.format_list(frames[-3:])
    lines += traceback.format_exception_only(type(exc), exc)
    return "\n".join("".join(lines).strip().splitlines()[-TRACE_LINES:])


def emit(channel: TextIO, message: dict[str, Any]) -> None:
    channel.write(json.dumps(message, allow_nan=True) + "\n")
    channel.flush()


def load(code: str, name: str) -> Callable[..., Any]:
    namespace: dict[str, Any] = {"__name__": "solution"}
    exec(compile(code, SOLUTION_FILE, "exec"), namespace)
    function = namespace.get(name)
    if not callable(function):
        raise LookupError(f"define a function named {name}")
    return function


def run_case(function: Callable[..., Any], args: list[Any]) -> dict[str, Any]:
    started, cpu_started = time.perf_counter(), time.process_time()
    got = function(*args)
    cpu_ms = (time.process_time() - cpu_started) * 1000
    elapsed_ms = (time.perf_counter() - started) * 1000
    try:
        json.dumps(got)
    except (TypeError, ValueError):
        kind = type(got).__name__
        return {"error": f"returned a {kind}: return lists, dicts, numbers, strings or None"}
    return {"got": got, "ms": round(elapsed_ms, 3), "cpu_ms": round(cpu_ms, 3)}


def main() -> None:
    request = json.loads(sys.stdin.read())
    results = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.setrecursionlimit(100_000)
    try:
        function = load(request["code"], request["function"])
    except MemoryError:
        emit(results, {"memory": True})
        return
    except BaseException as exc:
        emit(results, {"load_error": short_trace(exc)})
        return
    emit(results, {"ready": True})
    for args in request["cases"]:
        try:
            message = run_case(function, args)
        except MemoryError:
            message = {"memory": True}
        except BaseException as exc:
            message = {"error": short_trace(exc)}
        emit(results, message)


main()

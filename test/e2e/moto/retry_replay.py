"""(harness) A retried attempt of a request moto already answered gets that answer again.

Under the e2e load (four scenarios, each with its own moto_server, on two cores) a client sometimes sends the same
operation twice: the first attempt is processed and answered, the answer does not reach the client in time, and the
AWS SDK retries the operation (same ``amz-sdk-invocation-id`` header, ``amz-sdk-request: attempt=2``). A second
execution of a non-idempotent call then fails or duplicates what the first did: an event source mapping created
twice, a scaling policy or a security-group rule "not found" on a retried delete, a default egress rule "not found"
on a retried revoke (all seen 2026-12-02/03). On AWS the first answer arrives; here it is delivered again.

Only a successful (2xx) answer to a mutating request is replayed, only to an attempt of the same invocation id, and a
retry that arrives while its first attempt is still running waits for it. Everything else reaches moto as before.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from typing import Any, Callable, Iterable

HEADER = "HTTP_AMZ_SDK_INVOCATION_ID"
KEEP = 5000  # answers remembered (oldest forgotten first)


class RetryReplay:
    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.answers: OrderedDict[str, tuple[str, list[tuple[str, str]], bytes]] = OrderedDict()
        self.running: dict[str, threading.Event] = {}
        self.replayed = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        invocation = environ.get(HEADER)
        if not invocation or environ.get("REQUEST_METHOD") in ("GET", "HEAD", "OPTIONS"):
            return self.app(environ, start_response)
        with self.lock:
            first = self.running.get(invocation)
            if first is None and invocation not in self.answers:
                self.running[invocation] = threading.Event()
        if first is not None:
            first.wait(120)
        with self.lock:
            cached = self.answers.get(invocation)
        if cached is not None:
            status, headers, body = cached
            self.replayed += 1
            print(f"retry-replay: answered attempt {environ.get('HTTP_AMZ_SDK_REQUEST', '?')} of {invocation} ({status}) again", file=sys.stderr, flush=True)
            start_response(status, headers)
            return [body]
        return self._run(invocation, environ, start_response)

    def _run(self, invocation: str, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        try:
            result = self.app(environ, capture)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close:
                    close()
            if str(seen.get("status", "")).startswith("2"):
                with self.lock:
                    self.answers[invocation] = (seen["status"], list(seen["headers"]), body)
                    while len(self.answers) > KEEP:
                        self.answers.popitem(last=False)
            return [body]
        finally:
            with self.lock:
                event = self.running.pop(invocation, None)
            if event is not None:
                event.set()


def install() -> str:
    """Wraps every app moto's ThreadedMotoServer serves; returns the name the ready line reports."""
    from moto.moto_server import threaded_moto_server as server

    make_server = server.make_server

    def wrapped(host: str, port: int, app: Any, *args: Any, **kwargs: Any) -> Any:
        return make_server(host, port, RetryReplay(app), *args, **kwargs)

    server.make_server = wrapped
    return "(harness) retry_replay"

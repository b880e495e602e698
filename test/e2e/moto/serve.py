#!/usr/bin/env python3
"""Private moto_server for Backplane's real-engine harness, with moto 5.2.1's gaps filled.

Started by test/e2e/lib/moto.ts (``startMoto()``); not meant to be run by hand, but it can be:

    python3 -B test/e2e/moto/serve.py            # prints one JSON line once listening

It binds 127.0.0.1 ONLY, on a port the OS picks (port 0, so there is no race on a "free" port),
runs moto's own WSGI app in-process (``moto.server.ThreadedMotoServer``), and prints one line:

    {"event": "ready", "endpoint": "http://127.0.0.1:PORT", "port": PORT, "moto": "5.2.1", "patches": [...]}

It stops on SIGTERM/SIGINT, and also when its stdin reaches EOF: the harness keeps a pipe open, so if
the test process dies without cleaning up (SIGKILL, OOM), the server does not outlive it.

Gaps filled before serving: every module of patches/ (each documents its evidence, with moto file
references). THE list of what moto gets wrong, what the shim does and what a second plan may still
show is test/e2e/tolerated-differences.ts (SHIMMED_GAPS, TOLERATED_DIFFERENCES); moto-gaps.e2e.test.ts
fails if a patch reported in the "ready" line is missing from it.

Environment (defaults set here if the caller did not): MOTO_IAM_LOAD_MANAGED_POLICIES=true,
MOTO_ACM_VALIDATION_WAIT=0. E2E_MOTO_SKIP_PATCHES=ecs,elasticache (module names) serves without
those patches, to observe a gap or check whether a new moto still has it.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading

HOST = "127.0.0.1"  # never any other address
TARGET_MOTO = "5.2.1"


def _fail(message: str) -> None:
    print(json.dumps({"event": "error", "message": message}), flush=True)
    sys.exit(2)


def main() -> None:
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", "0")
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

    try:
        import moto
        from moto.server import ThreadedMotoServer
    except ImportError as err:  # pragma: no cover - preflight normally catches this
        _fail(f"python moto is not importable ({err}); install it with: pip install 'moto[server]==5.2.1'")
        return

    if moto.__version__ != TARGET_MOTO:
        print(
            f"serve.py: WARNING moto {moto.__version__} found; the patches were written against {TARGET_MOTO}",
            file=sys.stderr,
            flush=True,
        )

    from patches import apply_all

    try:
        skip = {m.strip() for m in os.environ.get("E2E_MOTO_SKIP_PATCHES", "").split(",") if m.strip()}
        applied = apply_all(skip)
    except Exception as err:  # a patch target moved: fail loudly rather than serve a half-shimmed moto
        _fail(f"patching moto {moto.__version__} failed: {type(err).__name__}: {err}")
        return

    from retry_replay import install as install_retry_replay

    harness = [install_retry_replay()]
    server = ThreadedMotoServer(ip_address=HOST, port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    stop = threading.Event()

    def _on_signal(_signum: int, _frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    def _watch_stdin() -> None:
        # EOF on stdin means the parent (the test process) is gone.
        try:
            while sys.stdin.read(4096):
                pass
        except Exception:
            pass
        stop.set()

    threading.Thread(target=_watch_stdin, daemon=True).start()

    print(
        json.dumps(
            {
                "event": "ready",
                "endpoint": f"http://{host}:{port}",
                "port": port,
                "moto": moto.__version__,
                "patches": applied,
                "harness": harness,
            }
        ),
        flush=True,
    )
    while not stop.wait(1.0):
        pass
    server.stop()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Private moto_server for Backplane's real-engine harness, with moto 5.2.1's gaps filled.

Started by test/e2e/lib/moto.ts (``startMoto()``); not meant to be run by hand, but it can be:

    python3 -B test/e2e/moto/serve.py            # prints one JSON line once listening

It binds 127.0.0.1 ONLY, on a port the OS picks (port 0, so there is no race on a "free" port),
runs moto's own WSGI app in-process (``moto.server.ThreadedMotoServer``), and prints one line:

    {"event": "ready", "endpoint": "http://127.0.0.1:PORT", "port": PORT, "moto": "5.2.1", "patches": [...]}

It stops on SIGTERM/SIGINT, and also when its stdin reaches EOF: the harness keeps a pipe open, so if
the test process dies without cleaning up (SIGKILL, OOM), the server does not outlive it.

Gaps filled before serving (each patch module documents its evidence; the full list of what the
harness tolerates, and why, is in test/e2e/tolerated-differences.ts and test/e2e/README.md):

  appautoscaling.tags            TagResource / UntagResource / ListTagsForResource answered 500
                                 (not implemented); RegisterScalableTarget dropped its Tags.
  elasticache.member_clusters    CreateReplicationGroup created no member cache clusters, so the
                                 provider's DescribeCacheClusters(<group>-001) got 404
                                 (CacheClusterNotFound); the members now exist and carry the group's
                                 security groups, encryption flags, subnet group, engine and windows
                                 (without them at_rest_encryption_enabled read back false and
                                 security_group_ids empty, both forcing replacement).
  elasticache.delete_group       DeleteReplicationGroup left the group in "deleting" forever, so the
                                 provider's deletion waiter polled until its timeout; the group and
                                 its members are now removed (a later Describe answers NotFound).
  elasticache.delete_subnet_group  DeleteCacheSubnetGroup answered 500 (not implemented).
  ecs.steady_state               A service never had running tasks (runningCount 0, rollout
                                 IN_PROGRESS), so wait_for_steady_state waited out its timeout;
                                 a deployment now reaches its desired count at once.
  ecs.create_params              CreateService dropped deploymentConfiguration (circuit breaker),
                                 enableECSManagedTags, availabilityZoneRebalancing,
                                 healthCheckGracePeriodSeconds, enableExecuteCommand, ... so they
                                 read back empty; they are now kept (UpdateService already kept them).
  ec2.rule_descriptions          DescribeSecurityGroupRules dropped the Description of rules that
                                 reference a security group or a prefix list (the provider then
                                 re-sets description in every plan); it is now returned.
  cloudfront.readback            Cache behaviors sent with a CachePolicyId read back a ForwardedValues
                                 block, and CloudFrontDefaultCertificate reads back true next to an
                                 ACM/IAM certificate; both now answer as AWS does.
  cloudfront.vpc_origins         No VPC origin API in moto; emulated (patches/cloudfront_vpc_origin.py).
  awslambda.logging_config       CreateFunction/UpdateFunctionConfiguration dropped LoggingConfig and
                                 GetFunction never answered it, so logging_config (JSON format, own
                                 log group) was re-set in every plan; it is now kept and answered.
  ecs.unhealthy_image            Emulation, not a gap: a deployment whose task definition uses an
                                 image containing "e2e-unhealthy" fails; with the circuit breaker's
                                 rollback on, ECS rolls back to the previous task definition (the
                                 silent-rollback case the product must turn into a failed apply).

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
            }
        ),
        flush=True,
    )
    while not stop.wait(1.0):
        pass
    server.stop()


if __name__ == "__main__":
    main()

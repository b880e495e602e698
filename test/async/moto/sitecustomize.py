"""Applies ./sqs.py in a moto_server process started with PYTHONPATH pointing here (test/async only).

test/async/*.moto.e2e.ts start the harness's serve.py with PYTHONPATH=<this dir>, so this SQS patch is installed
before the server answers, on top of the harness's own patches (its sqs.py returns RedriveAllowPolicy, but also
returns it empty after a delete, which hangs the provider's delete waiter, and keeps moto's spaced RedrivePolicy).
Remove once test/e2e/moto/patches/sqs.py does what ./sqs.py does.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import sqs as _backplane_sqs_patch

    _applied = _backplane_sqs_patch.apply()
    print(f"sitecustomize: applied {_applied}", file=sys.stderr, flush=True)
except Exception as err:  # never break the interpreter; the scenario then fails loudly on the gap
    print(f"sitecustomize: sqs patch not applied: {type(err).__name__}: {err}", file=sys.stderr, flush=True)
finally:
    sys.path.pop(0)

"""Child process of the crash tests: issue a card and stop dead at a named step.

Usage: ``python -m tests.card_mock.crash_child INSTANCE EID STEP``. At STEP it prints
``AT <STEP>`` and sleeps until the parent kills it with SIGKILL.
"""

from __future__ import annotations

import sys
import time

from card_mock.issuer import config
from card_mock.issuer import create_data_app
from card_mock.issuer import load_issuer
from card_mock.issuer.issuance import issue

from .support import PIN
from .support import issuer_config


def main(instance: str, eid: str, stop_at: str) -> None:
    values = config.load(issuer_config(instance))
    config.check(values)
    app = create_data_app(values)
    parts = load_issuer(app)

    def checkpoint(step: str) -> None:
        if step == stop_at:
            print(f"AT {step}", flush=True)
            time.sleep(120)  # the parent kills us here

    with app.app_context():
        issue(parts, eid, PIN, "EC-P256", checkpoint)
    print("DONE", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:4])

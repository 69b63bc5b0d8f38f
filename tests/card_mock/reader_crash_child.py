"""Child process of the bridge's crash tests: run one card operation and stop dead at a step.

Usage: ``python -m tests.card_mock.reader_crash_child PLAN`` where PLAN is a JSON file with the
bridge's configuration, the operation (``sign``, ``change_pin`` or ``unblock``), the card
serial, its arguments and the step. At that step it prints ``AT <STEP>`` and sleeps until the
parent kills it with SIGKILL.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from card_mock.reader import create_app
from card_mock.reader.web import READER
from card_mock.reader.web import REDEEMER


def main(plan_path: str) -> None:
    plan = json.loads(Path(plan_path).read_text())
    app = create_app(plan["config"])
    reader = app.extensions[READER]

    def checkpoint(step: str) -> None:
        if step == plan["step"]:
            print(f"AT {step}", flush=True)
            time.sleep(120)  # the parent kills us here

    serial, operation = plan["serial"], plan["operation"]
    if operation == "sign":
        reader.sign(serial, plan["pin"], plan["origin"], plan["challenge"], checkpoint)
    elif operation == "change_pin":
        reader.change_pin(serial, plan["pin"], plan["new_pin"], checkpoint)
    else:
        reader.unblock(serial, plan["code"], plan["new_pin"], app.extensions[REDEEMER], checkpoint)
    print("DONE", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])

"""The real reader bridge, served as a child process that stops dead at one step of a signature.

Usage: ``python -m tests.outages.bridge_child STEP MARKER``. The settings come from the
``READER_*`` environment, as for ``silta-card reader run``. The first signature that reaches
STEP (one of the bridge's own checkpoints, ``card_mock.reader.service.STEPS["sign"]``) writes
MARKER and hangs there, inside the card operation and holding the card, until the parent kills
the process: a bridge that dies between the citizen's PIN and the answer.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from werkzeug.serving import make_server

from card_mock.reader import create_app
from card_mock.reader.service import SIGN
from card_mock.reader.service import STEPS
from card_mock.reader.web import READER

HOLD_SECONDS = 300  # far longer than any test waits: only SIGKILL ends it


def main(hold_at: str, marker: str) -> None:
    if hold_at not in STEPS[SIGN]:
        raise SystemExit(f"{hold_at!r} is not a step of a signature: {', '.join(STEPS[SIGN])}")
    app = create_app()
    reader = app.extensions[READER]
    sign = reader.sign

    def held_sign(serial: str, pin: str, origin: str, challenge: str, step) -> dict:
        def checkpoint(name: str) -> None:
            step(name)
            if name == hold_at:
                Path(marker).write_text(name)
                time.sleep(HOLD_SECONDS)

        return sign(serial, pin, origin, challenge, checkpoint)

    reader.sign = held_sign  # the sign view passes no checkpoint of its own while serving
    make_server(app.config["HOST"], app.config["PORT"], app, threaded=True).serve_forever()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

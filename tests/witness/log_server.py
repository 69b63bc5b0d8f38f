"""A fake log served over HTTP on a free port: the witness fetches from it as from the broker.

It serves its FakeLog's latest checkpoint and consistency proofs, or whatever a test makes it
serve instead (a rolled-back or forked checkpoint, an error, an answer held back).
"""

from __future__ import annotations

import threading

from flask import Flask
from flask import Response
from flask import jsonify
from flask import request
from werkzeug.serving import make_server

from tests.unit.tlog.fake_log import FakeLog


class LogServer:
    """``checkpoint`` (text) and ``status`` may be set to misbehave; ``hold`` stalls answers."""

    def __init__(self, log: FakeLog) -> None:
        self.log = log
        self.checkpoint: str | None = None  # None: the log's honest latest checkpoint
        self.proof: dict[str, object] | None = None  # None: the honest proof asked for
        self.status = 200
        self.asked = threading.Event()  # set at each request for a checkpoint
        self.hold = threading.Event()
        self.hold.set()  # cleared: every answer waits until the test sets it again
        app = Flask(__name__)
        app.add_url_rule("/log/checkpoint", view_func=self._checkpoint)
        app.add_url_rule("/log/consistency", view_func=self._consistency)
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )
        self._thread.start()

    def _checkpoint(self) -> Response:
        self.asked.set()
        self.hold.wait()
        text = self.checkpoint if self.checkpoint is not None else self.log.checkpoint()
        return Response(text, status=self.status, mimetype="text/plain")

    def _consistency(self) -> Response:
        self.hold.wait()
        if self.proof is not None:
            return jsonify(self.proof)
        old, new = int(request.args["from"]), int(request.args["to"])
        return jsonify(self.log.consistency_json(old, new))

    def entry(self) -> dict[str, object]:
        """The ``[[logs]]`` table a witness is configured with for this log."""
        return {
            "origin": self.log.origin,
            "keys": [str(self.log.key)],
            "checkpoint_url": f"{self.url}/log/checkpoint",
            "consistency_url": f"{self.url}/log/consistency",
        }

    def close(self) -> None:
        self.hold.set()
        self._server.shutdown()
        self._thread.join()

"""A service-side HTTP endpoint on a free loopback port that records every request it gets."""

from __future__ import annotations

import threading

from werkzeug.serving import make_server
from werkzeug.wrappers import Request
from werkzeug.wrappers import Response


class Receiver:
    """Answers every request with ``status`` and ``body``; keeps (method, path, form)."""

    def __init__(self, status: int = 200, body: str = "", content_type: str = "text/plain"):
        self.status, self.body, self.content_type = status, body, content_type
        self.requests: list[tuple[str, str, dict]] = []
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @Request.application
    def app(self, request: Request) -> Response:
        self.requests.append((request.method, request.path, request.form.to_dict()))
        return Response(self.body, status=self.status, content_type=self.content_type)

    @property
    def tokens(self) -> list[str | None]:
        """The ``logout_token`` of each request: what a back-channel logout endpoint received."""
        return [form.get("logout_token") for _method, _path, form in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.thread.join(5)

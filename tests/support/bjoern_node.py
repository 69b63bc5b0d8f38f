"""A gunicorn master with Silta's bjoern workers around a tiny WSGI app, for the worker's tests.

    python -m tests.support.bjoern_node PORT [gunicorn setting=value ...]

``/slow?s=N`` answers after N seconds; every answer names the worker's pid.
"""

from __future__ import annotations

import os
import sys
import time
from urllib.parse import parse_qs

from gunicorn.app.base import BaseApplication

from idp.ops.workers import BjoernWorker


def app(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        time.sleep(float(parse_qs(environ["QUERY_STRING"]).get("s", ["1"])[0]))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [f"pid {os.getpid()}".encode()]


class Node(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return app


def main() -> None:
    port, *settings = sys.argv[1:]
    options = {
        "bind": [f"127.0.0.1:{port}"],
        "workers": 1,
        "worker_class": BjoernWorker,
        "control_socket_disable": True,
        "errorlog": "-",
        "loglevel": "info",
    }
    for setting in settings:
        key, value = setting.split("=", 1)
        options[key] = int(value) if value.isdigit() else value
    Node(options).run()


if __name__ == "__main__":
    main()

"""`silta serve`: one broker node under gunicorn, with per-node chores done once per node.

The app is built once in the gunicorn master (``preload_app``), so a bad configuration stops the
node before any worker starts, and the workers share its code pages. The master's database
connections are closed before the fork: a pooled connection must never be shared by two
processes. Each run gets a fresh folder for the workers' Prometheus files (prometheus_client's
multiprocess mode) and for the lock that elects one worker to retry owed back-channel logouts.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from flask import Flask
from gunicorn.app.base import BaseApplication

METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Worker classes whose requests run one at a time on the worker's main thread: such a worker
# keeps its database connection between requests (storage/transaction.py).
ONE_AT_A_TIME = ("sync", "bjoern")
RUN_PREFIX = "silta-serve-"
LOGOUT_RETRY_SECONDS = 15.0
log = logging.getLogger("silta.serve")


def prepare_run_dir() -> Path:
    """A fresh folder for this run; set before ``idp.ops.metrics`` is first imported, as it must
    be."""
    run_dir = Path(tempfile.mkdtemp(prefix=RUN_PREFIX))
    (run_dir / "metrics").mkdir()
    (run_dir / "master.pid").write_text(str(os.getpid()))
    _remove_abandoned(run_dir.parent)
    os.environ[METRICS_ENV] = str(run_dir / "metrics")  # stale counters of a past run never mix
    return run_dir


def _remove_abandoned(parent: Path) -> None:
    """Folders of runs whose master died without cleaning up (kill -9, a power cut)."""
    for folder in parent.glob(RUN_PREFIX + "*"):
        try:
            pid = int((folder / "master.pid").read_text())
            os.kill(pid, 0)  # raises if no such process
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, ValueError):
            continue  # no pid file (yet), or another user's process: not ours to judge


class Node(BaseApplication):
    """gunicorn, configured from a dict instead of its command line."""

    def __init__(self, app: Flask, options: dict) -> None:
        self.application, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def options(app: Flask, bind: str, run_dir: Path) -> dict:
    from ..storage import transaction

    config = app.config
    lock = run_dir / "backchannel-logout.lock"

    def post_fork(server, worker) -> None:
        _dispose_pool(app)  # a worker opens its own connections, never the master's
        if config["SERVE_WORKER_CLASS"] in ONE_AT_A_TIME:
            transaction.keep_between_requests()
        retry_logouts(app, claim=NodeLock(lock).claim)

    def child_exit(server, worker) -> None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

    return {
        "bind": [bind],
        "workers": config["SERVE_WORKERS"],
        "worker_class": _worker_class(config["SERVE_WORKER_CLASS"]),
        "threads": config["SERVE_THREADS"],
        "timeout": config["SERVE_TIMEOUT"],
        "graceful_timeout": config["SERVE_GRACEFUL_TIMEOUT"],
        "keepalive": config["SERVE_KEEPALIVE"],
        "preload_app": True,
        "control_socket_disable": True,  # several nodes may share a machine (and its paths)
        "accesslog": None,  # the app writes its own JSON access line, with the request id
        "errorlog": "-",
        "proc_name": f"silta-{config['NODE_NAME']}",
        "post_fork": post_fork,
        "child_exit": child_exit,
        "on_exit": lambda server: shutil.rmtree(run_dir, ignore_errors=True),
    }


def _worker_class(name: str):
    """gunicorn's own classes by name; ``bjoern`` is Silta's (idp/ops/workers.py)."""
    if name == "bjoern":
        from .workers import BjoernWorker

        return BjoernWorker
    return name


def run(app: Flask, bind: str, run_dir: Path) -> None:
    """Serve until stopped: SIGTERM lets requests in flight finish within the graceful timeout."""
    from ..extensions import db

    with app.app_context():
        db.engine.dispose()  # the master's own connections end here, before any fork
    Node(app, options(app, bind, run_dir)).run()


def _dispose_pool(app: Flask) -> None:
    from ..extensions import db

    with app.app_context():
        db.engine.dispose(close=False)  # forget inherited connections without closing them


class NodeLock:
    """Held by one process of the node at a time; the kernel frees it when its holder dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: TextIO | None = None

    def claim(self) -> bool:
        """True in the holder; a process that finds the lock free becomes the holder."""
        if self._handle is not None:
            return True
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._handle = handle  # kept open: the lock lives as long as this process
        return True

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def retry_logouts(
    app: Flask,
    every: float = LOGOUT_RETRY_SECONDS,
    claim: Callable[[], bool] = lambda: True,
) -> None:
    """Retry owed back-channel logouts in the background, in whichever process ``claim``s it:
    the jobs registered to run while serving (``jobs``)."""
    from . import jobs

    def loop() -> None:
        while True:
            time.sleep(every)
            if not claim():
                continue
            with app.app_context():
                try:
                    for job in jobs.registered(app):
                        if job.while_serving:
                            job.run()
                except Exception:  # a retry loop must outlive one bad round
                    log.exception("logout retries failed; trying again later")

    threading.Thread(target=loop, name="backchannel-logout", daemon=True).start()

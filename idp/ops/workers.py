"""A gunicorn worker serving with bjoern: gunicorn's process management, bjoern's HTTP.

gunicorn's own ``sync`` worker parses HTTP in Python and closes the connection after every
answer. bjoern (libev and a C HTTP/1.1 parser, with keep-alive) serves the same model, one
request at a time per process, for about a third less CPU per request (docs/performance.md).
The master forks, watches, replaces and stops these workers like any other, and the per-node
chores of ``idp.ops.serving`` run in them unchanged. What differs is inside the worker: bjoern's
loop runs in C with the GIL released and has no stop call, so a watcher thread does what
gunicorn's worker loops do between requests:

- it sends the heartbeat while the worker is idle or its request has just begun, so a request
  still running ``--timeout`` seconds after it began gets the worker replaced, as a sync
  worker's would;
- it takes the stop signals (the main thread blocks them, so they never interrupt a request):
  on SIGTERM, a graceful stop, the worker exits once no request is being served, within the
  graceful timeout; SIGINT and SIGQUIT stop it at once;
- it stops the worker gracefully when the master is gone or after ``max_requests``.

bjoern keeps idle keep-alive connections open without a time limit, so run it behind a
balancer that bounds its clients' connections (docs/operations.md); the default worker class
stays ``gthread``.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

from gunicorn.workers.base import Worker
from werkzeug.wsgi import ClosingIterator

GRACEFUL = signal.SIGTERM
AT_ONCE = (signal.SIGINT, signal.SIGQUIT)
STOPS = (GRACEFUL, *AT_ONCE)
DRAIN_POLL_SECONDS = 0.02


class BjoernWorker(Worker):
    """One process serving requests one at a time on the node's listening socket."""

    def run(self) -> None:
        import bjoern  # only this worker class needs it

        self.serving = 0  # requests taken and not yet answered in full
        self.request_started = 0.0  # monotonic start of the latest request
        # Stop signals go to the watcher (sigtimedwait), never to the thread serving requests:
        # threads started from here on inherit the mask, so it is set before the watcher.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
        threading.Thread(target=self.watch, name="bjoern-watcher", daemon=True).start()
        bjoern.server_run(self.sockets[0].sock, self.serve)

    def serve(self, environ, start_response):
        self.nr += 1
        self.serving += 1
        self.request_started = time.monotonic()
        try:
            body = self.wsgi(environ, start_response)
        except BaseException:
            self.serving -= 1
            raise
        # bjoern closes the body once the last byte is sent (PEP 3333): only then is the
        # request over, and a graceful stop may go ahead.
        return ClosingIterator(body, self.answered)

    def answered(self) -> None:
        self.serving -= 1

    def watch(self) -> None:
        # gunicorn hands a worker half its --timeout (the master replaces a worker whose
        # heartbeat is older than the whole of it); beat a few times within that half.
        interval = max(min(self.timeout / 2, 1.0), DRAIN_POLL_SECONDS)
        stop_by = None
        while True:
            taken = signal.sigtimedwait(STOPS, DRAIN_POLL_SECONDS if stop_by else interval)
            if taken is not None and taken.si_signo in AT_ONCE:
                self.alive = False
                self.cfg.worker_int(self)
                self.exit(0)
            if taken is not None:
                self.alive = False
            if self.alive and self.ppid != os.getppid():
                self.log.info("Parent changed, shutting down: %s", self)
                self.alive = False
            if self.alive and self.nr >= self.max_requests:
                self.log.info("Autorestarting worker after current request.")
                self.alive = False
            if not self.alive:
                stop_by = stop_by or time.monotonic() + self.cfg.graceful_timeout
                if self.serving == 0 or time.monotonic() >= stop_by:
                    self.exit(0)
                continue
            # As a sync worker beats once per request: the last beat comes when the request
            # starts, so one that runs past --timeout gets the worker replaced.
            if self.serving == 0 or time.monotonic() - self.request_started < interval:
                self.notify()

    def exit(self, status: int) -> None:
        """Leave now: bjoern's loop cannot be stopped from another thread, the process can."""
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os._exit(status)

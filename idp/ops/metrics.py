"""Prometheus metrics at ``/metrics``, and one JSON access line per request.

Under ``silta serve`` every gunicorn worker writes its counters to files in a per-run folder
(``PROMETHEUS_MULTIPROC_DIR``, set before this module is imported) and ``/metrics`` adds them up,
so one scrape sees the whole node. ``/metrics`` answers only a bearer token equal to
``METRICS_TOKEN``: behind a load balancer every request comes from the balancer's address, so an
address allow-list would open the metrics to the world by accident; a token cannot.
"""

from __future__ import annotations

import hmac
import logging
import os
import time

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import current_app
from flask import g
from flask import request
from prometheus_client import CONTENT_TYPE_LATEST
from prometheus_client import REGISTRY
from prometheus_client import CollectorRegistry
from prometheus_client import Counter
from prometheus_client import Histogram
from prometheus_client import generate_latest
from prometheus_client import multiprocess
from prometheus_client import values
from prometheus_client.core import GaugeMetricFamily

from . import logs
from . import request_id

# Decided once, as prometheus_client decides it when first imported: files per worker, or memory.
MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
_pid = [os.getpid()]
os.register_at_fork(after_in_child=lambda: _pid.__setitem__(0, os.getpid()))


def pid() -> int:
    """This process's id, asked of the kernel once per process, not per request."""
    return _pid[0]


if MULTIPROCESS:
    # In multiprocess mode prometheus_client asks the kernel for the pid on every increment, to
    # notice a fork (three system calls a request); it lets the caller name that function
    # (`MultiProcessValue(process_identifier=...)`), and the pid changes only at a fork.
    values.ValueClass = values.MultiProcessValue(process_identifier=pid)
bp = Blueprint("metrics", __name__)
access = logging.getLogger("silta.access")

REQUESTS = Counter(
    "silta_http_requests_total", "HTTP requests answered.", ["endpoint", "method", "status"]
)
LATENCY = Histogram(
    "silta_http_request_duration_seconds",
    "Time from the request reaching the app to its response.",
    ["endpoint"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
LOGINS = Counter("silta_logins_total", "Logins at a method, by outcome.", ["method", "outcome"])
UPSTREAM_ERRORS = Counter(
    "silta_upstream_errors_total",
    "Logins that failed because the method's upstream (a bank) failed.",
    ["method", "code"],
)
CONSENT_DECISIONS = Counter(
    "silta_consent_decisions_total", "Consent given, declined or revoked.", ["decision"]
)


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _start_clock)  # first, to time all
    app.after_request(_count)
    app.register_blueprint(bp)


def _start_clock() -> None:
    g.request_started = time.perf_counter()


# The labelled series of each (rule, method, status) seen, looked up once: the labels are bounded
# (URL rules, not paths), so this stays as small as the metrics themselves.
_children: dict[tuple[str, str, int], tuple] = {}


def _count(response: Response) -> Response:
    now = time.perf_counter()
    elapsed = now - g.get("request_started", now)
    req = request._get_current_object()  # type: ignore[attr-defined]  # one context look-up
    endpoint = req.url_rule.rule if req.url_rule is not None else "unmatched"
    status = response.status_code
    counted = _children.get((endpoint, req.method, status))
    if counted is None:
        counted = _children[endpoint, req.method, status] = (
            REQUESTS.labels(endpoint, req.method, str(status)),
            LATENCY.labels(endpoint),
        )
    counted[0].inc()
    counted[1].observe(elapsed)
    config = current_app.config
    if config["ACCESS_LOG"]:
        logs.info(
            access,
            "request.served",
            {
                "node": config["NODE_NAME"],
                "pid": pid(),  # which worker of the node
                "method": req.method,
                "path": req.path,  # never the query: it may carry codes
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
                "request_id": request_id.current(),
            },
        )
    return response


@bp.get("/metrics")
def metrics():
    expected = current_app.config["METRICS_TOKEN"]
    offered = request.headers.get("Authorization", "")
    if not expected:
        abort(404)  # not configured: not served at all
    if not hmac.compare_digest(offered.encode(), f"Bearer {expected}".encode()):
        return Response("", 401, {"WWW-Authenticate": 'Bearer realm="metrics"'})
    body = generate_latest(_registry()) + generate_latest(_method_health_registry())
    return Response(body, 200, {"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"})


def _registry() -> CollectorRegistry:
    if MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # every worker of this node, added up
        return registry
    return REGISTRY


def _method_health_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_MethodHealth(current_app.extensions["silta.methods"].all()))
    return registry


class _MethodHealth:
    """Whether each method is up, as the worker answering the scrape knows it."""

    def __init__(self, methods: list) -> None:
        self.methods = methods

    def collect(self):
        family = GaugeMetricFamily(
            "silta_method_up", "1 when the login method is healthy, else 0.", labels=["method"]
        )
        for method in self.methods:
            family.add_metric([method.name], 1.0 if method.healthy() else 0.0)
        yield family

"""The witness's Prometheus metrics: counters of what it did, and gauges read from its store.

The alarm and tree-size gauges are read from the database at each scrape, so they survive a
restart and agree across processes; the counters are this process's.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func

from .extensions import db
from .models import Alarm
from .models import LogState


class StoreCollector(Collector):
    """Alarms by kind and each log's cosigned tree size, as the store holds them now."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        alarms = GaugeMetricFamily(
            "witness_alarms", "Alarms raised and kept, by kind.", labels=["kind"]
        )
        counted = db.session.execute(db.select(Alarm.kind, func.count()).group_by(Alarm.kind))
        for kind, count in counted:
            alarms.add_metric([kind], count)
        yield alarms
        sizes = GaugeMetricFamily(
            "witness_cosigned_tree_size", "Size of the latest cosigned tree.", labels=["origin"]
        )
        for origin, size in db.session.execute(db.select(LogState.origin, LogState.size)):
            sizes.add_metric([origin], size)
        yield sizes


class Metrics:
    """One registry for the process; the store's gauges are collected in request context."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.cosignatures = Counter(
            "witness_cosignatures", "Checkpoints cosigned.", ["origin"], registry=self.registry
        )
        self.refusals = Counter(
            "witness_refusals",
            "Checkpoints refused, by reason.",
            ["reason"],
            registry=self.registry,
        )
        self.fetch_failures = Counter(
            "witness_fetch_failures", "Fetches from a log that failed.", ["origin"],
            registry=self.registry,
        )  # fmt: skip
        self.registry.register(StoreCollector())


METRICS = Metrics()

"""A full first login through a mock bank: logins per second, per core, and p50/p99 latency.

    .venv/bin/python -m benchmarks.full_login [--logins 400] [--concurrency 6]

Starts, in a temporary folder, one bank of ``bank_mock`` (``aurora``) and one broker node
(``silta serve``, one bjoern worker, a fresh SQLite file), both on core 0 and both brought up by
the federation's launcher (federation/launcher.py), and drives from core 1
citizens who have never logged in, each a different synthetic bank customer (a new person at the
broker, as on the first day of a surge): the service's ``/authorize`` → method choice → the
bank's login (customer number and password) → its one-time code → the bank's "pass your data"
screen → the broker's consent → the code → ``/token`` → ``/userinfo``. Every page is the real
one, forms carry their CSRF tokens. A login that does not end with userinfo counts as an error.

Prints logins/s with broker and bank sharing core 0, p50/p99 of a whole login, and the CPU time
the broker and the bank each spent per login (their process groups, from /proc), hence the
logins per second one core of broker can serve. ``--serve-args`` passes options to the node.
"""

from __future__ import annotations

import argparse
import base64
import os
import queue
import secrets
import shlex
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bank_mock import customers
from federation import launcher
from federation.layout import Layout
from federation.plan import Selection
from federation.setup import clean_env
from federation.setup import command
from tests.cluster.citizen import Citizen
from tests.support import cluster as topology
from tests.support.federation import seed_banks

BANK = "aurora"
TICKS = os.sysconf("SC_CLK_TCK")


def accounts(count: int) -> list[customers.Account]:
    """Synthetic customers of the bank who bank nowhere else: a fresh person for each login."""
    return [
        a
        for a in customers.accounts_for(BANK, count)
        if a.customer_number[1] == "9" and int(a.customer_number[2:]) % 5 != 0
    ]


def cpu_seconds(group: int) -> float:
    """User and system CPU time of every live process in a process group."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == group:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def federation(work: Path, customers_count: int, serve_args: list[str]) -> launcher.Federation:
    """The bank and the broker node, brought up by the federation's launcher on core 0."""
    (work / "clients.toml").write_text(
        f'[[clients]]\nclient_id = "{topology.CLIENT_ID}"\nname = "Benefits Office"\n'
        f'purpose = "To decide your benefit."\nredirect_uris = ["{topology.REDIRECT_URI}"]\n'
        'token_endpoint_auth_method = "client_secret_basic"\n'
        f'client_secret = "{topology.CLIENT_SECRET}"\nallowed_scopes = ["openid", "profile"]\n'
        'allowed_claims = ["given_name", "family_name", "name", "birthdate"]\n'
        'grant_types = ["authorization_code"]\n'
    )
    broker_env = {
        "SILTA_DATABASE_URL": f"sqlite:///{work / 'silta.db'}",
        "SILTA_INSTANCE_PATH": str(work / "instance"),
        "SILTA_SECRET_KEY": secrets.token_urlsafe(32),
        "SILTA_PAIRWISE_SECRET": secrets.token_urlsafe(32),
        "SILTA_KEY_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "SILTA_CLIENTS_FILE": str(work / "clients.toml"),
        "SILTA_SESSION_COOKIE_SECURE": "0",  # plain HTTP on loopback
        "SILTA_NODE_NAME": "bench",
    }
    # The operator's steps before the node serves: the schema and the signing keys.
    for argv in (["silta", "db", "upgrade"], ["silta", "keys", "generate"]):
        command(argv, {**clean_env(), **broker_env})
    selection = Selection(
        banks=(BANK,),
        issuer=False,
        reader=False,
        services=(),
        broker=("serve", *serve_args),
        demo=False,
        env={"broker": broker_env, "bank": {"BANK_RATE_LIMIT_PER_MINUTE": "1000000"}},
    )
    # Broker and bank on core 0: the parties inherit this process's affinity at their start.
    os.sched_setaffinity(0, {0})
    running = launcher.launch(Layout.on_free_ports(work), selection)
    os.sched_setaffinity(0, {1})  # the driver: core 1
    try:
        seed_banks({BANK: running.parties[BANK].folder}, customers_count)
    except BaseException:
        running.stop()
        raise
    return running


def drive(broker: str, people: list, concurrency: int) -> tuple[list[float], int]:
    """Log every person in once, `concurrency` at a time; the seconds each login took."""
    waiting: queue.Queue = queue.Queue()
    for person in people:
        waiting.put(person)
    took, errors, lock = [], [0], threading.Lock()

    def work() -> None:
        while True:
            try:
                person = waiting.get_nowait()
            except queue.Empty:
                return
            result = Citizen(broker, person).log_in_with_bank(BANK)
            with lock:
                if result.completed and result.retries == 0:
                    took.append(result.ended - result.started)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return took, errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logins", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--serve-args", default="--workers 1 --worker-class bjoern")
    args = parser.parse_args()
    seeded = 4 * (args.logins + args.warmup) + 100  # the bank's share is about a third
    people = accounts(seeded)[: args.logins + args.warmup]
    if len(people) < args.logins + args.warmup:
        raise SystemExit("not enough synthetic customers; raise the seed count")
    with tempfile.TemporaryDirectory(prefix="silta-full-login-") as folder:
        running = federation(Path(folder), seeded, shlex.split(args.serve_args))
        broker, pids = running.url("broker"), running.pids()
        groups = {"broker": pids["broker"], "bank": pids[BANK]}  # each its own process group
        try:
            drive(broker, people[: args.warmup], args.concurrency)
            before = {n: cpu_seconds(group) for n, group in groups.items()}
            started = time.monotonic()
            took, errors = drive(broker, people[args.warmup :], args.concurrency)
            wall = time.monotonic() - started
            spent = {n: cpu_seconds(group) - before[n] for n, group in groups.items()}
        finally:
            running.stop()
    report(args, took, errors, wall, spent)


def report(args, took: list[float], errors: int, wall: float, spent: dict) -> None:
    done = len(took)
    cuts = statistics.quantiles(took, n=100) if done > 1 else [0.0] * 99
    broker_ms, bank_ms = (1000 * spent[n] / max(done, 1) for n in ("broker", "bank"))
    print(
        f"{done} full logins ({errors} errors), concurrency {args.concurrency}, "
        f"silta serve {args.serve_args}, broker and bank on core 0"
    )
    print(f"logins/s (broker + bank on one core): {done / wall:.1f}")
    print(f"latency of a whole login: p50 {1000 * cuts[49]:.0f} ms, p99 {1000 * cuts[98]:.0f} ms")
    print(f"CPU per login: broker {broker_ms:.1f} ms, bank {bank_ms:.1f} ms")
    print(f"logins/s per core of broker alone: {1000 / broker_ms:.1f}")


if __name__ == "__main__":
    main()

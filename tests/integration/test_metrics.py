"""Prometheus metrics, the audit hook that counts logins and consents, and the request id."""

from __future__ import annotations

import io
import json
import logging
import os
import re

import pytest
from prometheus_client import REGISTRY

from idp.audit import counted
from idp.ops import logs
from idp.ops import metrics
from tests.conftest import broker_client
from tests.support.flow import Flow

TOKEN = "metrics-" + "t" * 32


def sample(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def protected(database):
    with broker_client(database, METRICS_TOKEN=TOKEN) as client:
        yield client


def test_metrics_are_not_served_without_a_configured_token(browser):
    assert browser.get("/metrics").status_code == 404


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_metrics_refuse_anything_but_the_bearer_token(protected, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = protected.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_metrics_count_requests_by_endpoint_and_status_with_latency(protected):
    before = sample("silta_http_requests_total", endpoint="/healthz", method="GET", status="200")
    observed = sample("silta_http_request_duration_seconds_count", endpoint="/healthz")
    protected.get("/healthz")
    protected.get("/healthz")
    response = protected.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    line = re.search(
        r'silta_http_requests_total\{endpoint="/healthz",method="GET",status="200"\} (\S+)', text
    )
    assert float(line.group(1)) == before + 2
    assert sample("silta_http_request_duration_seconds_count", endpoint="/healthz") == observed + 2
    assert 'silta_method_up{method="dev"} 1.0' in text
    unmatched = sample(
        "silta_http_requests_total", endpoint="unmatched", method="GET", status="404"
    )
    protected.get("/no/such/page")
    assert (
        sample("silta_http_requests_total", endpoint="unmatched", method="GET", status="404")
        == unmatched + 1
    )


def test_a_login_and_its_consent_are_counted_once(flow):
    logins = sample("silta_logins_total", method="dev", outcome="succeeded")
    granted = sample("silta_consent_decisions_total", decision="granted")
    flow.code_flow()
    assert sample("silta_logins_total", method="dev", outcome="succeeded") == logins + 1
    assert sample("silta_consent_decisions_total", decision="granted") == granted + 1


def test_a_declined_consent_and_a_failed_login_are_counted(browser, rp):
    declined = sample("silta_consent_decisions_total", decision="declined")
    failed = sample("silta_logins_total", method="dev", outcome="failed")
    flow = Flow(browser, rp)
    flow.authorize()
    flow.login()
    flow.resume()
    flow.consent(allow=False)
    flow.authorize()
    flow.login(national_id="")  # the dev method refuses: dev_invalid, the citizen's own doing
    assert sample("silta_consent_decisions_total", decision="declined") == declined + 1
    assert sample("silta_logins_total", method="dev", outcome="failed") == failed + 1
    assert sample("silta_upstream_errors_total", method="dev", code="dev_invalid") == 0


@pytest.mark.parametrize(
    ("code", "upstream"),
    [
        ("bank_unavailable", True),
        ("bank_error", True),
        ("bank_token_bad_signature", True),
        ("bank_wrong_issuer", True),
        ("bank_state", False),  # a stale answer: the citizen went back, the bank did nothing wrong
        ("dev_invalid", False),
    ],
)
def test_upstream_errors_are_the_failures_that_name_the_upstream(code, upstream):
    before = sample("silta_upstream_errors_total", method="bank-test", code=code)
    counted.count_event("login.failed", {"method": "bank-test", "code": code})
    after = sample("silta_upstream_errors_total", method="bank-test", code=code)
    assert after - before == (1 if upstream else 0)


# --- the request id ---------------------------------------------------------------------------


@pytest.fixture
def json_log():
    """The broker's JSON log lines of the test, as parsed objects."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("silta")
    saved = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(saved)


def test_every_log_line_of_a_request_carries_its_id(flow, json_log):
    flow.authorize()
    response = flow.login()
    request_id = response.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = [line for line in json_log() if line.get("request_id") == request_id]
    assert {line["message"] for line in lines} >= {
        "login.succeeded",
        "session.started",
        "request.served",
    }
    served = next(line for line in lines if line["message"] == "request.served")
    assert served["status"] == response.status_code
    assert "?" not in served["path"]  # a query may carry codes: never logged


def test_an_incoming_request_id_is_ignored_unless_trusted(browser):
    response = browser.get("/healthz", headers={"X-Request-Id": "from-the-client-1234"})
    assert response.headers["X-Request-Id"] != "from-the-client-1234"


@pytest.fixture
def behind_balancer(database):
    with broker_client(database, TRUST_REQUEST_ID=True) as client:
        yield client


@pytest.mark.parametrize(
    ("offered", "kept"),
    [
        ("3f2a9c4e5b6d7e8f9a0b1c2d3e4f5a6b", True),  # nginx's $request_id
        ("6f1e8a52-3b0c-4d3e-9a8b-2c1d0e9f8a7b", True),  # a UUID
        ("short", False),
        ("x" * 65, False),
        ("<script>alert(1)</script>", False),
        ("id with spaces 123", False),
        ("-leading-dash-123", False),
    ],
)
def test_a_trusted_request_id_is_bounded_and_plain(behind_balancer, offered, kept):
    response = behind_balancer.get("/healthz", headers={"X-Request-Id": offered})
    assert (response.headers["X-Request-Id"] == offered) is kept
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}", response.headers["X-Request-Id"])


def test_the_error_page_shows_the_request_id_as_its_error_id(behind_balancer, json_log):
    offered = "3f2a9c4e5b6d7e8f9a0b1c2d3e4f5a6b"
    response = behind_balancer.get("/interaction/unknown-uid", headers={"X-Request-Id": offered})
    assert response.status_code >= 400
    assert f"<code>{offered}</code>" in response.get_data(as_text=True)
    shown = [line for line in json_log() if line["message"] == "error.shown"]
    assert shown and shown[-1]["error_id"] == offered and shown[-1]["request_id"] == offered


def test_the_remembered_pid_is_the_forked_childs_own():
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: report, then leave without running the parent's cleanups
        os.write(write, f"{metrics.pid()} {os.getpid()}".encode())
        os._exit(0)
    os.close(write)
    reported, actual = os.read(read, 100).decode().split()
    os.close(read)
    os.waitpid(child, 0)
    assert reported == actual != str(os.getpid())
    assert metrics.pid() == os.getpid()

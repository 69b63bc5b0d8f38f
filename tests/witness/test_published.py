"""What the witness publishes: its key, cosigned checkpoints, alarms, status, health, metrics;
and alarms stay, whatever anyone asks of the store."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from silta_common.tlog.keys import COSIGNATURE_V1
from silta_common.tlog.keys import VerifierKey
from witness.extensions import db

from .conftest import poll


def test_the_key_is_a_cosignature_v1_verifier_key(client):
    key = VerifierKey.parse(client.get("/witness/key").get_data(as_text=True))
    assert key.name == "witness.test/w1" and key.key_type == COSIGNATURE_V1


def test_an_origin_never_cosigned_has_no_checkpoint(client):
    response = client.get("/witness/checkpoint", query_string={"origin": "nope"})
    assert response.status_code == 404 and response.get_json()["error"] == "unknown_origin"


def test_the_status_page_shows_logs_and_alarms(client, fake_log, log_server):
    assert "No checkpoint cosigned yet." in client.get("/").get_data(as_text=True)
    poll(client)
    log_server.checkpoint = fake_log.checkpoint(1)
    poll(client)
    page = client.get("/")
    text = page.get_data(as_text=True)
    assert (
        page.status_code == 200 and "default-src 'none'" in page.headers["Content-Security-Policy"]
    )
    assert fake_log.origin in text and "1 alarm(s)" in text and "rollback" in text


def test_health_and_metrics(client, fake_log, log_server):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    poll(client)
    log_server.checkpoint = fake_log.checkpoint(1)
    poll(client)
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'witness_alarms{kind="rollback"} 1.0' in metrics
    assert 'witness_cosigned_tree_size{origin="silta.test/release-log"} 5.0' in metrics
    assert 'witness_cosignatures_total{origin="silta.test/release-log"}' in metrics


def test_an_alarm_cannot_be_deleted_or_changed(witness_app, client, fake_log, log_server):
    poll(client)
    log_server.checkpoint = fake_log.checkpoint(1)
    poll(client)
    with witness_app.app_context():
        statements = ["DELETE FROM alarm", "UPDATE alarm SET kind = 'nothing'"]
        if db.engine.dialect.name == "postgresql":
            statements.append("TRUNCATE alarm")
        for statement in statements:
            with pytest.raises(sa.exc.DatabaseError, match="never"):
                db.session.execute(sa.text(statement))
            db.session.rollback()
    assert len(client.get("/witness/alarms").get_json()["alarms"]) == 1


def test_an_unknown_path_is_a_json_404(client):
    assert client.get("/nowhere").get_json()["error"] == "not_found"

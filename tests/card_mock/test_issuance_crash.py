"""Issuance killed at every step: after restart the card is fully issued or not at all.

A child process issues a card and is SIGKILLed at a checkpoint; the issuer is then started
again on the same instance folder, and its start-up recovery must leave the register, the
token and the certificate status consistent.
"""

from __future__ import annotations

import select
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from cryptography import x509
from cryptography.x509 import ocsp

from card_mock.issuer import models
from card_mock.issuer.extensions import db
from card_mock.issuer.issuance import STEPS
from card_mock.issuer.issuance import issue
from card_mock.token import Card
from card_mock.token import card_label
from card_mock.token.store import VOID_LABEL_PREFIX

from .support import AINO
from .support import PIN
from .support import ocsp_request

ROOT = Path(__file__).resolve().parents[2]
BEFORE_TOKEN = {"journaled"}
CERTIFICATE_SIGNED = {"certificate_made", "certificate_stored"}


def start_child(instance: Path, step: str) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.card_mock.crash_child", str(instance), AINO.eid, step],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    ready, _, _ = select.select([child.stdout], [], [], 60)
    assert ready, "the child never reached its checkpoint"
    assert child.stdout.readline().strip() == f"AT {step}"
    return child


def kill(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    child.stdout.close()


def journal(app) -> models.Issuance:
    with app.app_context():
        entry = db.session.scalars(sa.select(models.Issuance)).one()
        db.session.expunge(entry)
        return entry


@pytest.mark.parametrize("step", STEPS)
def test_killed_issuance_is_all_or_nothing(make_issuer, tmp_path, step):
    instance = tmp_path / "issuer"
    make_issuer(instance)  # CA, register and token folder exist before the child starts
    kill(start_child(instance, step))

    app = make_issuer(instance)  # the restart: create_app runs the recovery
    parts = app.extensions["card.issuer"]
    entry = journal(app)
    token = parts.tokens.find(card_label(entry.serial))
    with app.app_context():
        card = db.session.get(models.Card, entry.serial)
        if step == "committed":
            assert entry.state == models.ISSUED and card.status == models.ACTIVE
            assert token is not None
            with Card.open(token, pin=PIN) as opened:
                assert opened.certificate() == x509.load_der_x509_certificate(card.certificate)
            expected = ocsp.OCSPCertStatus.GOOD
        else:
            assert card is None
            assert entry.state == models.ROLLED_BACK
            assert token is None
            voided = parts.tokens.labels(VOID_LABEL_PREFIX)
            assert voided == ([] if step in BEFORE_TOKEN else [VOID_LABEL_PREFIX + entry.serial])
            assert (entry.certificate is not None) == (step in CERTIFICATE_SIGNED)
            expected = ocsp.OCSPCertStatus.REVOKED
    if entry.certificate is not None:
        cert = x509.load_der_x509_certificate(entry.certificate)
        request = ocsp_request(cert, parts.authority.issuing.certificate)
        answer = app.test_client().post(
            "/ocsp", data=request, content_type="application/ocsp-request"
        )
        assert ocsp.load_der_ocsp_response(answer.data).certificate_status == expected

    with app.app_context():  # the holder can be issued a card again
        again = issue(parts, AINO.eid, PIN, "EC-P256")
        assert again.status == models.ACTIVE
        active = db.session.scalars(sa.select(models.Card).filter_by(status=models.ACTIVE)).all()
        assert len(active) == (2 if step == "committed" else 1)


def test_recovery_waits_for_a_live_issuance(make_issuer, tmp_path):
    """Start-up recovery takes the token lock, so it never rolls back an issuance in progress."""
    instance = tmp_path / "issuer"
    make_issuer(instance)
    child = start_child(instance, "key_generated")
    restarted: list = []
    starter = threading.Thread(target=lambda: restarted.append(make_issuer(instance)))
    starter.start()
    starter.join(1.0)
    assert starter.is_alive(), "recovery ran while the issuance held the lock"
    kill(child)
    starter.join(30)
    assert restarted and journal(restarted[0]).state == models.ROLLED_BACK


def test_crl_lists_the_certificate_of_a_rolled_back_issuance(make_issuer, tmp_path):
    instance = tmp_path / "issuer"
    make_issuer(instance)
    kill(start_child(instance, "certificate_stored"))
    app = make_issuer(instance)
    cert = x509.load_der_x509_certificate(journal(app).certificate)
    crl = x509.load_der_x509_crl(app.test_client().get("/crl/issuing-ca.crl").data)
    entry = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
    reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
    assert reason == x509.ReasonFlags.cessation_of_operation

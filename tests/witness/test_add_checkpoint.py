"""C2SP tlog-witness ``add-checkpoint``: the log pushes a checkpoint with a consistency proof."""

from __future__ import annotations

import base64
import logging

import pytest

from silta_common.tlog import keys
from silta_common.tlog import note
from tests.unit.tlog.fake_log import FakeLog
from witness.extensions import db
from witness.models import Cosignature

from .conftest import alarms


def body(old, proof, checkpoint):
    lines = [f"old {old}", *(base64.b64encode(h).decode() for h in proof)]
    return "\n".join(lines) + "\n\n" + checkpoint


def push(client, old, proof, checkpoint):
    return client.post("/add-checkpoint", data=body(old, proof, checkpoint).encode())


def cosigned_by(witness_app, checkpoint, lines):
    """The cosignature lines verify with the witness's published key."""
    witness_key = witness_app.extensions["witness.key"].verifier
    opened = note.open_note(checkpoint + lines, [witness_key])
    return len(opened.verified) == 1


def test_a_consistent_sequence_is_cosigned(client, witness_app, fake_log):
    first = fake_log.checkpoint()
    response = push(client, 0, [], first)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert cosigned_by(witness_app, first, response.get_data(as_text=True))
    for more in (3, 1, 8):
        old = len(fake_log.leaves)
        fake_log.append(*(f"leaf {old + i}" for i in range(more)))
        response = push(client, old, fake_log.consistency(old), fake_log.checkpoint())
        assert response.status_code == 200, response.get_data(as_text=True)
    published = client.get("/witness/checkpoint", query_string={"origin": fake_log.origin})
    assert published.get_data(as_text=True).startswith(fake_log.checkpoint().split("\n\n")[0])
    assert cosigned_by(witness_app, published.get_data(as_text=True), "")
    assert alarms(client) == []


def test_the_same_checkpoint_again_is_cosigned_again(client, witness_app, fake_log):
    assert push(client, 0, [], fake_log.checkpoint()).status_code == 200
    for _ in range(3):
        assert push(client, 5, [], fake_log.checkpoint()).status_code == 200
    with witness_app.app_context():  # replays refresh the cosignature, not the history
        assert db.session.scalar(db.select(db.func.count()).select_from(Cosignature)) == 1


def test_a_wrong_old_size_is_told_the_size_cosigned(client, fake_log):
    push(client, 0, [], fake_log.checkpoint())
    fake_log.append("leaf 5")
    response = push(client, 3, fake_log.consistency(3), fake_log.checkpoint())
    assert response.status_code == 409
    assert response.content_type == "text/x.tlog.size"
    assert response.get_data(as_text=True) == "5\n"
    assert alarms(client) == []


def test_a_fork_of_the_same_size_is_refused_with_an_alarm(client, fake_log, caplog):
    push(client, 0, [], fake_log.checkpoint())
    fake_log.leaves[2] = b"rewritten"
    with caplog.at_level(logging.ERROR, logger="silta.witness"):
        response = push(client, 5, [], fake_log.checkpoint())
    assert response.status_code == 409
    [alarm] = alarms(client)
    assert alarm["kind"] == "fork" and alarm["origin"] == fake_log.origin
    assert "witness.alarm" in caplog.text and "kind=fork" in caplog.text


def test_an_inconsistent_proof_is_refused(client, fake_log):
    push(client, 0, [], fake_log.checkpoint())
    fake_log.leaves[1] = b"rewritten"
    fake_log.append("leaf 5", "leaf 6")
    response = push(client, 5, fake_log.consistency(5), fake_log.checkpoint())
    assert response.status_code == 422
    # Nothing moved: the next checkpoint is still refused against the size cosigned.
    assert push(client, 7, [], fake_log.checkpoint()).status_code == 409
    # A pushed proof is signed by no one: no alarm (the poll of the log's own proof raises it).
    assert alarms(client) == []


def test_anyone_pushing_a_public_checkpoint_with_a_wrong_proof_raises_no_alarm(client, fake_log):
    push(client, 0, [], fake_log.checkpoint(3))
    response = push(client, 3, [bytes(32)], fake_log.checkpoint())
    assert response.status_code == 422
    assert alarms(client) == []
    assert push(client, 3, fake_log.consistency(3), fake_log.checkpoint()).status_code == 200


def test_an_older_checkpoint_contradicting_one_cosigned_is_a_fork(client, fake_log):
    push(client, 0, [], fake_log.checkpoint(3))
    push(client, 3, fake_log.consistency(3, 5), fake_log.checkpoint(5))
    fake_log.leaves[0] = b"rewritten"
    response = push(client, 5, [], fake_log.checkpoint(3))
    assert response.status_code == 409
    assert [a["kind"] for a in alarms(client)] == ["fork"]


def test_an_older_checkpoint_consistent_with_history_is_only_refused(client, fake_log):
    push(client, 0, [], fake_log.checkpoint(3))
    push(client, 3, fake_log.consistency(3, 5), fake_log.checkpoint(5))
    assert push(client, 5, [], fake_log.checkpoint(3)).status_code == 400
    assert alarms(client) == []


def test_an_unknown_origin_is_not_found(client):
    other = FakeLog("somewhere.else/log")
    other.append("x")
    assert push(client, 0, [], other.checkpoint()).status_code == 404
    assert alarms(client) == []  # anyone may send anything: no evidence against the log


def test_a_checkpoint_not_signed_by_the_log_is_forbidden(client, fake_log):
    impostor = keys.SignerKey.generate(fake_log.origin)
    response = push(client, 0, [], fake_log.checkpoint(signer=impostor))
    assert response.status_code == 403
    assert alarms(client) == []


def test_an_empty_tree_must_have_the_empty_root(client, fake_log):
    from silta_common.tlog.checkpoint import Checkpoint

    lying = note.sign(Checkpoint(fake_log.origin, 0, bytes(32)).body(), [fake_log.signer])
    assert push(client, 0, [], lying).status_code == 400
    assert push(client, 0, [], fake_log.checkpoint(0)).status_code == 200


def test_a_first_checkpoint_with_a_proof_is_unprocessable(client, fake_log):
    assert push(client, 0, [bytes(32)], fake_log.checkpoint()).status_code == 422


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff\xfe",
        b"old 0\n",
        b"old 00\n\nx",
        b"old -1\n\nx",
        b"new 0\n\nx",
        b"old 0\nnot base64!\n\nx",
        b"old 0\nAAAA\n\nx",
        b"old 0\n\nnot a note",
        b"old 0\n\nexample\n1\nAAAA\n\n\xe2\x80\x94 k AAAAAAA=\n",
        ("old 0\n" + "A" * 43 + "=\n" * 64 + "\n").encode(),
        b"old 99999999999999999999\n\nx",
    ],
)
def test_bad_input_is_a_clear_refusal_never_a_500(client, raw):
    response = client.post("/add-checkpoint", data=raw)
    assert 400 <= response.status_code < 500
    assert response.get_data(as_text=True).strip()


def test_a_body_too_large_is_refused(make_witness):
    client = make_witness(MAX_BODY_BYTES=1024).test_client()
    assert client.post("/add-checkpoint", data=b"old 0\n\n" + b"x" * 2000).status_code == 413

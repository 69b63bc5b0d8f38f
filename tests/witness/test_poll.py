"""The witness fetches the log's checkpoints itself: it cosigns growth, and alarms on a
rollback, a fork, an unprovable extension, a bad signature or another log's checkpoint."""

from __future__ import annotations

from silta_common.tlog import keys
from tests.unit.tlog.fake_log import FakeLog

from .conftest import TOKEN
from .conftest import alarms
from .conftest import poll


def test_growth_is_cosigned_with_the_proof_the_log_serves(client, fake_log):
    assert poll(client) == {"origin": fake_log.origin, "outcome": "cosigned", "size": 5,
                            "detail": ""}  # fmt: skip
    assert poll(client)["outcome"] == "unchanged"
    fake_log.append("leaf 5", "leaf 6", "leaf 7")
    assert poll(client)["size"] == 8
    assert alarms(client) == []


def test_a_rollback_is_refused_with_an_alarm(client, fake_log, log_server):
    poll(client)
    log_server.checkpoint = fake_log.checkpoint(3)
    result = poll(client)
    assert result["outcome"] == "refused" and "rollback" in result["detail"]
    [alarm] = alarms(client)
    assert alarm["kind"] == "rollback"
    assert fake_log.checkpoint(3).split("\n\n")[0] in alarm["evidence"]


def test_a_fork_is_refused_with_an_alarm(client, fake_log):
    poll(client)
    fake_log.leaves[4] = b"rewritten"
    assert poll(client)["outcome"] == "refused"
    assert [a["kind"] for a in alarms(client)] == ["fork"]


def test_a_rewritten_history_cannot_be_proved_consistent(client, fake_log):
    poll(client)
    fake_log.leaves[0] = b"rewritten"
    fake_log.append("leaf 5")
    assert poll(client)["outcome"] == "refused"
    assert [a["kind"] for a in alarms(client)] == ["inconsistent_proof"]


def test_a_wrong_proof_from_the_log_is_an_alarm(client, fake_log, log_server):
    poll(client)
    fake_log.append("leaf 5", "leaf 6")
    log_server.proof = {"from": 5, "to": 7, "proof": [fake_log.consistency_json(5, 7)["proof"][0]]}
    assert poll(client)["outcome"] == "refused"
    assert [a["kind"] for a in alarms(client)] == ["inconsistent_proof"]


def test_a_checkpoint_the_log_did_not_sign_is_an_alarm(client, fake_log, log_server):
    log_server.checkpoint = fake_log.checkpoint(signer=keys.SignerKey.generate(fake_log.origin))
    assert poll(client)["outcome"] == "refused"
    assert [a["kind"] for a in alarms(client)] == ["bad_signature"]


def test_another_logs_checkpoint_is_an_alarm(client, log_server):
    other = FakeLog("somewhere.else/log")
    other.append("x")
    log_server.checkpoint = other.checkpoint()
    assert poll(client)["outcome"] == "refused"
    assert [a["kind"] for a in alarms(client)] == ["wrong_origin"]


def fetch_failures(client):
    metrics = client.get("/metrics").get_data(as_text=True)
    name = 'witness_fetch_failures_total{origin="silta.test/release-log"} '
    found = [line for line in metrics.splitlines() if line.startswith(name)]
    return float(found[0].removeprefix(name)) if found else 0.0


def test_an_unreachable_log_is_a_warning_not_an_alarm(client, log_server):
    before = fetch_failures(client)
    log_server.status = 503
    result = poll(client)
    assert result["outcome"] == "unreachable" and "503" in result["detail"]
    log_server.status, log_server.checkpoint = 200, "<html>maintenance</html>"
    assert poll(client)["outcome"] == "unreachable"
    assert alarms(client) == []
    assert fetch_failures(client) == before + 2


def test_a_log_that_does_not_answer_is_given_up_in_time(make_witness, log_server):
    client = make_witness(FETCH_TIMEOUT_SECONDS=0.2).test_client()
    log_server.hold.clear()  # the log takes the request and answers nothing
    result = poll(client)
    log_server.hold.set()
    assert result["outcome"] == "unreachable" and "ReadTimeout" in result["detail"]


def test_a_poll_needs_the_operator_token(client):
    assert client.post("/witness/poll").status_code == 401
    wrong = {"Authorization": "Bearer " + "x" * len(TOKEN)}
    assert client.post("/witness/poll", headers=wrong).status_code == 401


def test_a_restarted_witness_remembers_what_it_cosigned(make_witness, fake_log, log_server):
    first = make_witness()
    poll(first.test_client())
    key = str(first.extensions["witness.key"].verifier)
    restarted = make_witness()
    assert str(restarted.extensions["witness.key"].verifier) == key
    log_server.checkpoint = fake_log.checkpoint(2)
    client = restarted.test_client()
    assert poll(client)["outcome"] == "refused"
    assert [a["kind"] for a in alarms(client)] == ["rollback"]
    assert [a["kind"] for a in alarms(make_witness().test_client())] == ["rollback"]

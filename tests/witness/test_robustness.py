"""Bad input never reaches a 500 or the store; two cosigners racing never both move a log;
the poller thread polls until stopped."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from silta_common.tlog import merkle
from witness import cosigner
from witness import errors
from witness.models import LogState
from witness.poller import Poller

from .conftest import alarms

TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=300)
LINES = st.lists(
    st.sampled_from(["old 0", "old 5", "", "AAAA", "A" * 43 + "=", "— k AAAAAAA=", "x", "5"]),
    max_size=12,
).map("\n".join)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(TEXT, LINES, st.binary(max_size=300)))
def test_add_checkpoint_refuses_any_garbage_clearly(client, garbage):
    body = garbage.encode() if isinstance(garbage, str) else garbage
    response = client.post("/add-checkpoint", data=body)
    assert 400 <= response.status_code < 500


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(TEXT)
def test_the_read_endpoints_take_any_query(client, query):
    for path in ("/witness/checkpoint", "/witness/alarms", "/", "/witness/key"):
        assert client.get(path, query_string={"origin": query}).status_code in (200, 404)


def test_garbage_leaves_the_store_as_it_was(client, fake_log):
    client.post("/add-checkpoint", data=b"old 0\n\n" + fake_log.checkpoint().encode())
    before = client.get("/witness/checkpoint", query_string={"origin": fake_log.origin})
    client.post("/add-checkpoint", data=b"old 5\n\n" + b"\xff" * 50)
    after = client.get("/witness/checkpoint", query_string={"origin": fake_log.origin})
    assert before.get_data() == after.get_data()
    assert alarms(client) == []


def test_a_cosigner_with_a_stale_view_loses(witness_app, client, fake_log):
    """The conditional update: a request that read size 3 cannot overwrite size 5, and is told
    the size cosigned."""
    client.post("/add-checkpoint", data=b"old 0\n\n" + fake_log.checkpoint().encode())
    fake_log.append("leaf 5")
    with witness_app.app_context():
        submitted = cosigner.read_checkpoint(
            witness_app.extensions["witness.logs"], fake_log.checkpoint()
        )
        stale = LogState(
            origin=fake_log.origin, size=3, root=merkle.root_hash(fake_log.hashes(3)),
            checkpoint="", cosigned_at=0,
        )  # fmt: skip
        with pytest.raises(errors.Conflict) as conflict:
            cosigner._record(submitted, stale, witness_app.extensions["witness.key"])
        assert conflict.value.size == 5
        assert cosigner.latest(fake_log.origin).size == 5


def test_the_poller_polls_until_stopped(witness_app, client, log_server, fake_log):
    poller = Poller(witness_app, interval=3600)
    log_server.asked.clear()
    poller.start()
    assert log_server.asked.wait(10)
    poller.stopped.set()
    poller.join(10)
    assert not poller.is_alive()
    published = client.get("/witness/checkpoint", query_string={"origin": fake_log.origin})
    assert published.status_code == 200

"""The live layer's own parts: one-time codes, the person pool, /proc CPU reading, page forms."""

from __future__ import annotations

import base64
import os
import threading
import time

import pytest
from werkzeug.serving import make_server

from policy_sim.live import accounts
from policy_sim.live import measure
from policy_sim.live.bank import wrong_code
from policy_sim.live.browser import Page
from policy_sim.live.browser import source_address
from policy_sim.live.card import card_locked_on
from policy_sim.live.card import reader_message

RFC_SECRET = base64.b32encode(b"12345678901234567890").decode().rstrip("=")


@pytest.mark.parametrize(
    ("at", "code"),
    # RFC 6238 Appendix B (SHA-1), last six of the eight digits.
    [(59, "287082"), (1111111109, "081804"), (1111111111, "050471"), (2000000000, "279037")],
)
def test_key_codes_follow_rfc_6238(at, code):
    account = accounts.BankAccount("aurora", "1", "pw", RFC_SECRET, "010170-999R")
    assert account.key_code(at) == code


def test_a_mistyped_code_is_never_the_right_one():
    assert all(wrong_code(f"{n:06d}") != f"{n:06d}" for n in range(0, 1_000_000, 997))


def rows(*people: str) -> list[dict]:
    return [
        {"customer_number": f"9{i}", "password": "p", "totp_secret": RFC_SECRET, "hetu": person}
        for i, person in enumerate(people)
    ]


def test_the_pool_hands_out_each_person_once_across_banks_and_cards():
    pool = accounts.AccountPool(
        {
            "aurora": accounts.from_rows("aurora", rows("A", "B")),
            "kide": accounts.from_rows("kide", rows("A", "C")),
        },
        [accounts.IdCard("0000000001", "1234", "C"), accounts.IdCard("0000000002", "1234", "D")],
    )
    assert pool.take("aurora").person == "A"
    assert pool.take("kide").person == "C"  # A banks at kide too, but is taken
    assert pool.take_card().person == "D"  # C is taken as a bank customer
    assert pool.take("aurora").person == "B"
    with pytest.raises(accounts.AccountsError, match="silta-bank seed --bank kide"):
        pool.take("kide")
    with pytest.raises(accounts.AccountsError, match="no unused ID card"):
        pool.take_card()


def test_scenario_customers_are_left_out_and_bad_rows_are_reported(tmp_path):
    data = [*rows("A"), dict(rows("B")[0], scenario="wrong_nonce")]
    assert [a.person for a in accounts.from_rows("aurora", data)] == ["A"]
    with pytest.raises(accounts.AccountsError, match="lacks 'password'"):
        accounts.from_rows("aurora", [{"customer_number": "1"}])
    bad = tmp_path / "cards.json"
    bad.write_text('[{"serial": "1"}]')
    with pytest.raises(accounts.AccountsError, match="serial, pin, person"):
        accounts.cards_from_file(bad)


def test_cpu_of_a_process_tree_grows_with_work():
    before = measure.tree_cpu({"me": os.getpid()})["me"]
    end = time.process_time() + 0.3
    while time.process_time() < end:
        pass
    used = measure.delta({"me": before}, measure.tree_cpu({"me": os.getpid()}))["me"]
    assert 0.2 <= used <= 5
    assert measure.tree_cpu({"gone": 2**22 + 7}) == {"gone": 0.0}


def test_the_server_on_a_port_is_found():
    server = make_server("127.0.0.1", 0, lambda env, start: [], threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert measure.pid_listening(f"http://127.0.0.1:{server.server_port}") == os.getpid()
        assert measure.pid_listening("https://example.org") is None
    finally:
        server.shutdown()


def test_citizens_get_distinct_loopback_addresses():
    addresses = {source_address(i) for i in range(70_000)}
    assert len(addresses) == 70_000
    assert all(a.startswith("127.") and a != "127.0.0.1" for a in addresses)


PAGE = """<form method="post" action="/sign"><input type="hidden" name="csrf_token" value="t">
<input type="radio" name="card" id="card-1111111111" value="1111111111" checked>
<label>Aino <span class="state">3 tries left</span></label>
<input type="radio" name="card" id="card-2222222222" value="2222222222">
<label>Mikko <span class="state locked">locked</span></label>
<input type="password" name="pin"><input type="checkbox" name="remember" value="y">
<button type="submit" name="decision" value="allow">Allow</button></form>
<div id="reader-message" hidden
 data-message='{"type": "silta-reader:error", "code": "card_locked"}'></div>"""


def test_forms_and_messages_are_read_as_a_browser_would():
    page = Page("http://reader.test/sign?x=1", 200, PAGE, {})
    form = page.form("pin")
    assert form.action == "http://reader.test/sign" and form.method == "post"
    assert form.fields == {"csrf_token": ["t"], "card": ["1111111111"], "pin": [""]}
    assert form.buttons == [("decision", "allow")]
    assert reader_message(page) == {"type": "silta-reader:error", "code": "card_locked"}
    assert not card_locked_on(page, "1111111111")
    assert card_locked_on(page, "2222222222")

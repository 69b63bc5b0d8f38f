"""The citizen's offline check passes an honest export and fails each kind of tampering."""

from __future__ import annotations

import json

import pytest

from silta_common.tlog import keys
from silta_common.tlog import note
from silta_common.tlog import verify_export

from .fake_log import FakeLog

AINO = '{"service": "Tax office", "claims": ["name", "birthdate"], "method": "bank"}'


@pytest.fixture
def log():
    fake = FakeLog()
    fake.append(*(f'{{"entry": {i}}}' for i in range(6)), AINO, '{"entry": 7}', AINO)
    return fake


@pytest.fixture
def witness():
    return keys.SignerKey.generate("witness.test/w1", keys.COSIGNATURE_V1)


def cosigned(log, witness, size=None):
    return note.sign(log.checkpoint(size).split("\n\n")[0] + "\n", [log.signer, witness])


def run(path, log, *witness_keys, capsys):
    args = [str(path), "--log-key", str(log.key)]
    for key in witness_keys:
        args += ["--witness-key", str(key)]
    status = verify_export.main(args)
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_an_honest_export_passes_and_says_what_it_verified(tmp_path, log, witness, capsys):
    path = log.write_export(tmp_path / "my-log.json", [6, 8], cosigned(log, witness))
    status, said = run(path, log, witness.verifier, capsys=capsys)
    assert status == 0, said
    assert f"The log {log.origin} signed a checkpoint of 9 entries" in said
    assert "The witness witness.test/w1 cosigned it at" in said
    assert "Entry 6 is in the log" in said and "Entry 8 is in the log" in said
    assert "All 2 entries of my-log.json are in the log" in said


def test_a_tampered_leaf_fails(tmp_path, log, witness, capsys):
    data = log.export([6], cosigned(log, witness))
    data["entries"][0]["leaf"] = AINO.replace("Tax office", "Nobody")
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data))
    status, said = run(path, log, witness.verifier, capsys=capsys)
    assert status == 1
    assert "Entry 6 is NOT in the log as signed" in said and "FAILED" in said


def test_a_wrong_proof_or_index_fails(tmp_path, log, witness, capsys):
    data = log.export([6, 8], cosigned(log, witness))
    data["entries"][1]["inclusion_proof"] = data["entries"][0]["inclusion_proof"]
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data))
    assert run(path, log, witness.verifier, capsys=capsys)[0] == 1
    data = log.export([6], cosigned(log, witness))
    data["entries"][0]["leaf_index"] = 8  # the same data at another place
    path.write_text(json.dumps(data))
    assert run(path, log, witness.verifier, capsys=capsys)[0] == 1


def test_a_checkpoint_signed_by_another_key_fails(tmp_path, log, witness, capsys):
    impostor = keys.SignerKey.generate(log.origin)
    body = log.checkpoint().split("\n\n")[0] + "\n"
    path = log.write_export(tmp_path / "x.json", [6], note.sign(body, [impostor, witness]))
    status, said = run(path, log, witness.verifier, capsys=capsys)
    assert status == 1 and "not signed by the log key" in said


def test_a_changed_checkpoint_fails_its_signatures(tmp_path, log, witness, capsys):
    checkpoint = cosigned(log, witness).replace("\n9\n", "\n8\n", 1)
    path = log.write_export(tmp_path / "x.json", [6], checkpoint)
    status, said = run(path, log, witness.verifier, capsys=capsys)
    assert status == 1 and "invalid signature" in said


def test_a_missing_witness_cosignature_fails(tmp_path, log, witness, capsys):
    path = log.write_export(tmp_path / "x.json", [6], log.checkpoint())
    status, said = run(path, log, witness.verifier, capsys=capsys)
    assert status == 1 and "has not cosigned this checkpoint" in said


def test_every_named_witness_must_have_cosigned(tmp_path, log, witness, capsys):
    other = keys.SignerKey.generate("witness.test/w2", keys.COSIGNATURE_V1)
    path = log.write_export(tmp_path / "x.json", [6], cosigned(log, witness))
    status, said = run(path, log, witness.verifier, other.verifier, capsys=capsys)
    assert status == 1 and "witness.test/w2 has not cosigned" in said


def test_keys_of_the_wrong_kind_are_refused(tmp_path, log, witness, capsys):
    path = log.write_export(tmp_path / "x.json", [6], cosigned(log, witness))
    status, said = run(path, log, log.key, capsys=capsys)  # the log's key as a witness's
    assert status == 2 and "not a witness (cosignature/v1) key" in said


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        json.dumps({"format": "other/v1", "checkpoint": "", "entries": []}),
        json.dumps({"format": "silta.release-log-export/v1", "checkpoint": "", "entries": []}
                   | {"extra": "unverified words"}),
        json.dumps({"format": "silta.release-log-export/v1", "checkpoint": "",
                    "entries": [{"leaf_index": -1, "leaf": "", "inclusion_proof": []}]}),
        json.dumps({"format": "silta.release-log-export/v1", "checkpoint": "",
                    "entries": [{"leaf_index": 0, "leaf": "", "inclusion_proof": ["AAAA"]}]}),
    ],
)  # fmt: skip
def test_a_file_that_is_no_export_cannot_be_checked(tmp_path, log, witness, capsys, content):
    path = tmp_path / "x.json"
    path.write_text(content)
    assert run(path, log, witness.verifier, capsys=capsys)[0] == 2


def test_a_missing_file_cannot_be_checked(tmp_path, log, witness, capsys):
    status, said = run(tmp_path / "none.json", log, witness.verifier, capsys=capsys)
    assert status == 2 and "cannot be read" in said


def test_the_command_runs_as_a_module(tmp_path, log, witness):
    import subprocess
    import sys

    path = log.write_export(tmp_path / "x.json", [8], cosigned(log, witness))
    args = ["--log-key", str(log.key), "--witness-key", str(witness.verifier)]
    command = [sys.executable, "-m", "silta_common.tlog.verify_export", str(path), *args]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "Entry 8 is in the log" in run.stdout

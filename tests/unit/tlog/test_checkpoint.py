"""C2SP tlog-checkpoint bodies, read strictly; the spec's example checkpoint among them."""

from __future__ import annotations

import base64

import pytest

from silta_common.tlog.checkpoint import Checkpoint
from silta_common.tlog.checkpoint import CheckpointError
from silta_common.tlog.merkle import EMPTY_ROOT

ROOT = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
SPEC_EXAMPLE = f"example.com/behind-the-sofa\n20852163\n{ROOT}\n"  # tlog-checkpoint's example


def test_the_specs_example_reads_and_writes_back():
    checkpoint = Checkpoint.parse(SPEC_EXAMPLE)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.root == base64.b64decode(ROOT)
    assert checkpoint.body() == SPEC_EXAMPLE


def test_extension_lines_are_kept():
    body = SPEC_EXAMPLE + "time 1700000000\n"
    assert Checkpoint.parse(body).extensions == ("time 1700000000",)
    assert Checkpoint.parse(body).body() == body


def test_an_empty_tree_has_size_zero():
    empty = Checkpoint("silta.example/log", 0, EMPTY_ROOT)
    assert Checkpoint.parse(empty.body()) == empty


@pytest.mark.parametrize(
    "body",
    [
        "",
        SPEC_EXAMPLE[:-1],  # no final newline
        "example.com/log\n20852163\n",
        f"\n20852163\n{ROOT}\n",
        f"example.com/log\n020852163\n{ROOT}\n",  # a leading zero
        f"example.com/log\n-1\n{ROOT}\n",
        f"example.com/log\n+5\n{ROOT}\n",
        f"example.com/log\n18446744073709551616\n{ROOT}\n",  # 2^64
        f"example.com/log\n1 \n{ROOT}\n",
        f"example.com/log\n5\n{ROOT[:-1]}\n",
        f"example.com/log\n5\n{base64.b64encode(bytes(31)).decode()}\n",
        f"example.com/log\n5\n{ROOT}\n\n",  # an empty extension line
    ],
)
def test_malformed_bodies_are_refused(body):
    with pytest.raises(CheckpointError):
        Checkpoint.parse(body)


def test_the_example_on_the_docs_page_verifies_with_its_keys():
    """docs/transparency-log.md shows a real checkpoint; it must stay one."""
    from pathlib import Path

    from silta_common.tlog import note
    from silta_common.tlog.keys import VerifierKey

    page = (Path(__file__).resolve().parents[3] / "docs" / "transparency-log.md").read_text()
    blocks = page.split("```text\n")
    example, key_block = blocks[1].split("```")[0], blocks[2].split("```")[0]
    log_key, witness_key = (VerifierKey.parse(line) for line in key_block.split())
    opened = note.open_note(example, [log_key, witness_key])
    assert len(opened.verified) == 2
    assert Checkpoint.parse(opened.text).size == 9

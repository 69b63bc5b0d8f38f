"""RFC 9162 §2.1 against the reference vectors every Certificate Transparency implementation uses.

The eight leaves, their roots, and the inclusion and consistency proofs are those of Google's
Go implementation, github.com/transparency-dev/merkle (``proof/verify_test.go``,
``rfc6962/rfc6962_test.go``), which carried them over from certificate-transparency's C++
``merkle_tree_test.cc``. The corruptions are that file's ``corruptInclusionProof`` and
``corruptConsistencyProof``.
"""

from __future__ import annotations

import pytest

from silta_common.tlog import merkle
from silta_common.tlog.merkle import ProofError

H = bytes.fromhex
LEAVES = [H(x) for x in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                         "606162636465666768696a6b6c6d6e6f")]  # fmt: skip
ROOTS = [H(x) for x in (
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]  # fmt: skip
# (leaf number counting from 1, tree size, audit path), as in the Go vectors.
INCLUSION = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (2, 5, ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
]  # fmt: skip
CONSISTENCY = [
    (1, 1, []),
    (1, 8, ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"]),
    (6, 8, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
    (2, 5, ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]),
    (6, 7, ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]),
]  # fmt: skip
SOME_HASH = H("abacaba000000000000000000000000000000000000000000060061e00123456")
LEAF_HASHES = [merkle.leaf_hash(leaf) for leaf in LEAVES]


def test_hashes_match_the_rfc6962_vectors():
    assert merkle.EMPTY_ROOT.hex() == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    assert merkle.leaf_hash(b"").hex() == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )
    assert merkle.leaf_hash(b"L123456").hex() == (
        "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
    )
    assert merkle.node_hash(b"N123", b"N456").hex() == (
        "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
    )


@pytest.mark.parametrize("size", range(1, 9))
def test_root_of_each_prefix_matches(size):
    assert merkle.root_hash(LEAF_HASHES[:size]) == ROOTS[size - 1]


def test_the_empty_tree_has_the_empty_root():
    assert merkle.root_hash([]) == merkle.EMPTY_ROOT


@pytest.mark.parametrize(("leaf", "size", "path"), INCLUSION)
def test_inclusion_proofs_are_generated_as_the_vectors(leaf, size, path):
    assert merkle.inclusion_proof(LEAF_HASHES[:size], leaf - 1) == [H(p) for p in path]


@pytest.mark.parametrize(("size1", "size2", "path"), CONSISTENCY)
def test_consistency_proofs_are_generated_as_the_vectors(size1, size2, path):
    assert merkle.consistency_proof(LEAF_HASHES[:size2], size1) == [H(p) for p in path]


def corrupt_inclusion(index, size, proof, root, leaf):
    """Go's corruptInclusionProof: every probe must fail."""
    probes = [
        (index - 1, size, root, leaf, proof),
        (index + 1, size, root, leaf, proof),
        (index ^ 2, size, root, leaf, proof),
        (index, size * 2, root, leaf, proof),
        (index, size // 2, root, leaf, proof),
        (index, size, root, merkle.leaf_hash(b"WrongLeaf"), proof),
        (index, size, merkle.EMPTY_ROOT, leaf, proof),
        (index, size, SOME_HASH, leaf, proof),
        (index, size, root, leaf, [*proof, b""]),
        (index, size, root, leaf, [*proof, root]),
        (index, size, root, leaf, [b"", *proof]),
        (index, size, root, leaf, [root, *proof]),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        probes.append((index, size, root, leaf, flipped))
    if proof:
        probes.append((index, size, root, leaf, proof[:-1]))
    if len(proof) > 1:
        probes.append((index, size, root, leaf, [proof[0], SOME_HASH, *proof[1:]]))
    return [p for p in probes if p[0] >= 0]


@pytest.mark.parametrize(("leaf", "size", "path"), INCLUSION)
def test_inclusion_vectors_verify_and_every_corruption_fails(leaf, size, path):
    proof = [H(p) for p in path]
    merkle.verify_inclusion(leaf - 1, size, LEAF_HASHES[leaf - 1], proof, ROOTS[size - 1])
    for probe in corrupt_inclusion(leaf - 1, size, proof, ROOTS[size - 1], LEAF_HASHES[leaf - 1]):
        with pytest.raises(ProofError):
            merkle.verify_inclusion(*probe)


def corrupt_consistency(size1, size2, root1, root2, proof):
    """Go's corruptConsistencyProof: every probe must fail."""
    probes = [
        (size1 - 1, size2, root1, root2, proof),
        (size1 + 1, size2, root1, root2, proof),
        (size1 ^ 2, size2, root1, root2, proof),
        (size1, size2 * 2, root1, root2, proof),
        (size1, size2 // 2, root1, root2, proof),
        (size1, size2, SOME_HASH, root2, proof),
        (size1, size2, root1, SOME_HASH, proof),
        (size1, size2, root2, root1, proof),
        (size1, size2, root1, root2, []),
        (size1, size2, root1, root2, [*proof, b""]),
        (size1, size2, root1, root2, [*proof, root1]),
        (size1, size2, root1, root2, [*proof, root2]),
        (size1, size2, root1, root2, [b"", *proof]),
        (size1, size2, root1, root2, [root1, *proof]),
        (size1, size2, root1, root2, [root2, *proof]),
        (size1, size2, root1, root2, [proof[0], *proof]),
        (size1, size2, root1, root2, proof[:-1]),
    ]
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        probes.append((size1, size2, root1, root2, flipped))
    return probes


@pytest.mark.parametrize(("size1", "size2", "path"), CONSISTENCY)
def test_consistency_vectors_verify_and_every_corruption_fails(size1, size2, path):
    proof = [H(p) for p in path]
    root1, root2 = ROOTS[size1 - 1], ROOTS[size2 - 1]
    merkle.verify_consistency(size1, size2, root1, root2, proof)
    if not proof:  # as in Go: only non-trivial proofs are corrupted
        return
    for probe in corrupt_consistency(size1, size2, root1, root2, proof):
        with pytest.raises(ProofError):
            merkle.verify_consistency(*probe)


ROOT_A, ROOT_B = bytes(32), bytes([1]) * 32


@pytest.mark.parametrize(
    ("size1", "size2", "root1", "root2", "proof", "holds"),
    [
        (0, 0, ROOT_A, ROOT_B, [], False),
        (1, 1, ROOT_A, ROOT_B, [], False),
        (0, 0, ROOT_A, ROOT_A, [], True),
        (0, 1, ROOT_A, ROOT_B, [], True),
        (1, 1, ROOT_B, ROOT_B, [], True),
        (1, 0, ROOT_A, ROOT_B, [], False),  # time travel to the past
        (2, 1, ROOT_A, ROOT_B, [], False),
        (1, 2, ROOT_A, ROOT_B, [], False),  # an empty proof
        (0, 0, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [merkle.EMPTY_ROOT], False),
        (0, 1, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [merkle.EMPTY_ROOT], False),
        (1, 1, merkle.EMPTY_ROOT, merkle.EMPTY_ROOT, [merkle.EMPTY_ROOT], False),
    ],
)
def test_consistency_edge_cases_as_go_decides_them(size1, size2, root1, root2, proof, holds):
    if holds:
        merkle.verify_consistency(size1, size2, root1, root2, proof)
    else:
        with pytest.raises(ProofError):
            merkle.verify_consistency(size1, size2, root1, root2, proof)


@pytest.mark.parametrize(("index", "size"), [(0, 0), (0, 1), (1, 0), (2, 1)])
def test_inclusion_with_wrong_roots_or_leaves_fails(index, size):
    for leaf, root in [(SOME_HASH, b""), (b"", merkle.EMPTY_ROOT), (SOME_HASH, merkle.EMPTY_ROOT)]:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(index, size, leaf, [], root)


def test_a_single_entry_tree_proves_its_leaf_with_an_empty_path():
    leaf = merkle.leaf_hash(b"data")
    merkle.verify_inclusion(0, 1, leaf, [], leaf)
    for wrong_leaf, wrong_root in [(leaf, b""), (b"", leaf), (b"", b"")]:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(0, 1, wrong_leaf, [], wrong_root)


@pytest.mark.parametrize(
    "call",
    [
        lambda: merkle.inclusion_proof(LEAF_HASHES, 8),
        lambda: merkle.inclusion_proof(LEAF_HASHES, -1),
        lambda: merkle.consistency_proof(LEAF_HASHES, 9),
        lambda: merkle.verify_inclusion(-1, 8, LEAF_HASHES[0], [], ROOTS[7]),
        lambda: merkle.verify_inclusion(True, 8, LEAF_HASHES[0], [], ROOTS[7]),
        lambda: merkle.verify_consistency(1, 1 << 64, ROOTS[0], ROOTS[7], []),
    ],
)
def test_arguments_no_proof_can_have_are_refused(call):
    with pytest.raises(ProofError):
        call()

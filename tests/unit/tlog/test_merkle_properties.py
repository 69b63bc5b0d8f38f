"""Properties of RFC 9162 proofs over trees of random sizes (Hypothesis).

Every proof the generator makes verifies with the verifier, which shares no code with it but
the two hash functions; every proof altered in any one way fails.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from silta_common.tlog import merkle
from silta_common.tlog.merkle import ProofError

MAX_SIZE = 300


def tree(size: int) -> list[bytes]:
    return [merkle.leaf_hash(b"leaf %d" % i) for i in range(size)]


def reference_root(leaves: list[bytes]) -> bytes:
    """MTH computed bottom-up, level by level: a second reading of RFC 9162 §2.1.1."""
    if not leaves:
        return merkle.EMPTY_ROOT
    # A level's last node is carried up unpaired until it meets its left sibling, which
    # builds the same tree as the recursive split at the largest power of two.
    level = list(leaves)
    while len(level) > 1:
        paired = [merkle.node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        level = paired + ([level[-1]] if len(level) % 2 else [])
    return level[0]


@st.composite
def leaf_in_tree(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(1, MAX_SIZE))
    return draw(st.integers(0, size - 1)), size


@st.composite
def two_sizes(draw: st.DrawFn) -> tuple[int, int]:
    new = draw(st.integers(1, MAX_SIZE))
    return draw(st.integers(1, new)), new


def alter(proof: list[bytes], how: int, where: int) -> list[bytes]:
    """One alteration of a proof: flip a bit, drop, repeat or add a hash, or swap two."""
    changed = list(proof)
    i = where % len(changed) if changed else 0
    if how == 0 and changed:
        changed[i] = bytes([changed[i][0] ^ 1]) + changed[i][1:]
    elif how == 1 and changed:
        del changed[i]
    elif how == 2:
        changed.insert(i, changed[i] if changed else merkle.EMPTY_ROOT)
    elif how == 3:
        changed.append(merkle.leaf_hash(b"extra"))
    elif how == 4 and len(changed) > 1 and changed[i] != changed[i - 1]:
        changed[i], changed[i - 1] = changed[i - 1], changed[i]
    else:
        changed.insert(0, merkle.leaf_hash(b"extra"))
    return changed


@settings(max_examples=200, deadline=None)
@given(st.integers(0, MAX_SIZE))
def test_the_root_is_the_bottom_up_root(size):
    leaves = tree(size)
    assert merkle.root_hash(leaves) == reference_root(leaves)


@settings(max_examples=200, deadline=None)
@given(leaf_in_tree())
def test_every_inclusion_proof_verifies(case):
    index, size = case
    leaves = tree(size)
    proof = merkle.inclusion_proof(leaves, index)
    merkle.verify_inclusion(index, size, leaves[index], proof, reference_root(leaves))


@settings(max_examples=200, deadline=None)
@given(leaf_in_tree(), st.integers(0, 5), st.integers(0, 1000))
def test_every_altered_inclusion_proof_fails(case, how, where):
    index, size = case
    leaves = tree(size)
    proof = alter(merkle.inclusion_proof(leaves, index), how, where)
    with pytest.raises(ProofError):
        merkle.verify_inclusion(index, size, leaves[index], proof, reference_root(leaves))


@settings(max_examples=200, deadline=None)
@given(leaf_in_tree(), st.integers(0, MAX_SIZE))
def test_an_inclusion_proof_proves_only_its_own_leaf_and_place(case, other):
    index, size = case
    leaves = tree(size)
    proof, root = merkle.inclusion_proof(leaves, index), reference_root(leaves)
    other %= size
    if other != index:
        with pytest.raises(ProofError):
            merkle.verify_inclusion(other, size, leaves[index], proof, root)
        with pytest.raises(ProofError):
            merkle.verify_inclusion(index, size, leaves[other], proof, root)


@settings(max_examples=200, deadline=None)
@given(two_sizes())
def test_every_consistency_proof_verifies(sizes):
    old, new = sizes
    leaves = tree(new)
    proof = merkle.consistency_proof(leaves, old)
    merkle.verify_consistency(old, new, reference_root(leaves[:old]), reference_root(leaves), proof)


@settings(max_examples=200, deadline=None)
@given(two_sizes(), st.integers(0, 5), st.integers(0, 1000))
def test_every_altered_consistency_proof_fails(sizes, how, where):
    old, new = sizes
    leaves = tree(new)
    proof = merkle.consistency_proof(leaves, old)
    if old == new:
        how = 3  # the empty proof of equal trees can only grow
    with pytest.raises(ProofError):
        merkle.verify_consistency(
            old, new, reference_root(leaves[:old]), reference_root(leaves), alter(proof, how, where)
        )


@settings(max_examples=200, deadline=None)
@given(two_sizes(), st.integers(0, MAX_SIZE - 1))
def test_a_changed_leaf_breaks_consistency(sizes, changed):
    old, new = sizes
    leaves = tree(new)
    changed %= old  # a leaf the old tree already held
    forked = list(leaves)
    forked[changed] = merkle.leaf_hash(b"rewritten")
    proof = merkle.consistency_proof(forked, old)
    with pytest.raises(ProofError):
        merkle.verify_consistency(
            old, new, reference_root(leaves[:old]), reference_root(forked), proof
        )

"""RFC 9162 §2.1 Merkle tree hashing, inclusion proofs and consistency proofs (SHA-256).

Proofs are generated from the leaf hashes of the tree (``leaves[i]`` is the hash of leaf ``i``)
and verified with nothing but the proof, the sizes and the roots, as §2.1.3.2 and §2.1.4.2 say.
See docs/decisions/0004-transparency-log-algorithms.md for why this is not a library.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
MAX_TREE_SIZE = (1 << 64) - 1  # RFC 9162 §4.1: tree sizes are uint64
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()  # RFC 9162 §2.1.1: MTH({}) = HASH()


class ProofError(ValueError):
    """A proof that does not verify, or arguments no proof can have; the message says which."""


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162 §2.1.1: MTH({d(0)}) = HASH(0x00 || d(0))."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1): RFC 9162 §2.1.1's ``k``."""
    return 1 << ((n - 1).bit_length() - 1)


def root_hash(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over the given leaf hashes (RFC 9162 §2.1.1)."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = _split(n)
    return node_hash(root_hash(leaves[:k]), root_hash(leaves[k:]))


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf ``index`` in ``leaves``."""
    if not 0 <= index < len(leaves):
        raise ProofError(f"leaf index {index} is not in a tree of size {len(leaves)}")
    return _path(index, leaves)


def _path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    if len(leaves) == 1:
        return []
    k = _split(len(leaves))
    if m < k:
        return [*_path(m, leaves[:k]), root_hash(leaves[k:])]
    return [*_path(m - k, leaves[k:]), root_hash(leaves[:k])]


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1: tree ``old_size`` is a prefix of ``leaves``."""
    if not 0 <= old_size <= len(leaves):
        raise ProofError(f"old size {old_size} is not within a tree of size {len(leaves)}")
    if old_size in (0, len(leaves)):
        return []  # §2.1.4.1: PROOF(m, D[m]) is empty; an empty tree needs no proof
    return _subproof(old_size, leaves, True)


def _subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [root_hash(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], whole), root_hash(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), root_hash(leaves[:k])]


def _check_hashes(proof: Sequence[bytes], *hashes: bytes) -> None:
    for value in (*hashes, *proof):
        if not isinstance(value, bytes) or len(value) != HASH_SIZE:
            raise ProofError(f"every hash must be {HASH_SIZE} bytes")


def _check_size(size: int, what: str) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_TREE_SIZE:
        raise ProofError(f"{what} must be a whole number from 0 to 2^64-1")


def verify_inclusion(
    index: int, tree_size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Raise ProofError unless ``proof`` shows leaf hash ``leaf`` at ``index`` under ``root``."""
    _check_size(index, "the leaf index")
    _check_size(tree_size, "the tree size")
    _check_hashes(proof, leaf, root)
    # RFC 9162 §2.1.3.2, step by step.
    if index >= tree_size:
        raise ProofError(f"leaf index {index} is not in a tree of size {tree_size}")
    fn, sn, r = index, tree_size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("the inclusion proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the inclusion proof is shorter than the tree is deep")
    if r != root:
        raise ProofError("the inclusion proof does not lead to the root hash")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise ProofError unless ``proof`` shows tree ``old_size`` is a prefix of ``new_size``."""
    _check_size(old_size, "the old tree size")
    _check_size(new_size, "the new tree size")
    _check_hashes(proof, old_root, new_root)
    if old_size > new_size:
        raise ProofError(f"a tree of size {old_size} cannot be a prefix of size {new_size}")
    if old_size == new_size or old_size == 0:
        # §2.1.4.1: PROOF(m, D[m]) is empty; an empty tree is a prefix of every tree.
        if proof:
            raise ProofError("the consistency proof must be empty for these sizes")
        if old_size == new_size and old_root != new_root:
            raise ProofError("two trees of the same size have different root hashes")
        return
    # RFC 9162 §2.1.4.2, step by step.
    if not proof:
        raise ProofError("the consistency proof is empty")
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # step 2: an exact power of 2
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is longer than the trees need")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("the consistency proof is shorter than the trees need")
    if fr != old_root:
        raise ProofError("the consistency proof does not lead to the old root hash")
    if sr != new_root:
        raise ProofError("the consistency proof does not lead to the new root hash")

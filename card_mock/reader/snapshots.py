"""Copies of a virtual card's token files, taken before the bridge lets the token write.

A chip writes its PIN and retry state atomically; SoftHSM2 rewrites ``token.object`` in place,
attribute by attribute (SoftHSMv2 ``src/lib/object_store/ObjectFile.cpp``, ``store``), on a
wrong C_Login, C_SetPIN and C_InitPIN, so a process killed mid-write could leave a token that
no longer opens. The bridge therefore copies the token's folder first and, when a
crash interrupts the operation, start-up recovery puts the copy back: the card is as before.
A copy becomes valid in one rename; a restore replaces each file in one rename.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

LOCK_SUFFIX = ".lock"  # SoftHSM2's empty lock files: never copied, never replaced


class Snapshots:
    """The snapshot folder of one bridge instance: one sub-folder per journal entry."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def path(self, entry: int) -> Path:
        """Where the copy for this journal entry lives once it is complete."""
        return self.folder / str(entry)

    def take(self, entry: int, token_folder: Path) -> None:
        """Copy the token's files, flushed to disk, and make the copy visible in one rename."""
        staging = self.folder / f"{entry}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=0o700)
        for source in _token_files(token_folder):
            target = staging / source.name
            shutil.copy2(source, target)
            _fsync(target)
        _fsync(staging)
        os.replace(staging, self.path(entry))
        _fsync(self.folder)

    def restore(self, entry: int, token_folder: Path) -> None:
        """Put the token's files back as they were; files the operation added are removed."""
        saved = self.path(entry)
        kept = {source.name for source in saved.iterdir()}
        for source in saved.iterdir():
            temporary = token_folder / f".{source.name}.restore"
            shutil.copy2(source, temporary)
            _fsync(temporary)
            os.replace(temporary, token_folder / source.name)
        for extra in _token_files(token_folder):
            if extra.name not in kept:
                extra.unlink()
        _fsync(token_folder)

    def discard(self, entry: int) -> None:
        """Remove the copy (and any half-made one) of a finished operation."""
        shutil.rmtree(self.path(entry), ignore_errors=True)
        shutil.rmtree(self.folder / f"{entry}.partial", ignore_errors=True)

    def entries(self) -> set[int]:
        """Journal entries with a copy, complete or half-made, in the folder."""
        return {
            int(child.name.split(".")[0])
            for child in self.folder.iterdir()
            if child.name.split(".")[0].isdigit()
        }


def _token_files(token_folder: Path) -> list[Path]:
    return [
        child
        for child in token_folder.iterdir()
        if child.is_file()
        and not child.name.endswith(LOCK_SUFFIX)
        and not child.name.startswith(".")
    ]


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)

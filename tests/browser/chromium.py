"""Debian's Chromium for Playwright: where it is and how it starts (never `playwright install`)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def chromium_path() -> str:
    found = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(found).exists(), "Chromium is missing: run `make .venv/.chromium`."
    return found


def launch(playwright):
    """Headless Chromium from the distribution (`--no-sandbox` only when running as root)."""
    args = ARGS + (["--no-sandbox"] if os.geteuid() == 0 else [])
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=args)

"""The documentation stays in step with the code it describes (STYLE rules 7 and 9)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bank_mock import config as bank_config
from card_mock.issuer import config as issuer_config
from card_mock.reader import config as reader_config
from idp import clients
from idp import config
from idp.audit import events
from relying_parties import config as rp_config
from witness import config as witness_config

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
EXAMPLE_CLIENTS = ROOT / "examples" / "clients.toml"

SETTING_NAME = re.compile(r"SILTA_[A-Z0-9_]+")
# An absolute path on someone's machine; a URL path ("https://x/home/") is preceded by a word
# character and does not count.
LOCAL_PATH = re.compile(r"(?<![\w.])/(?:work|root|home|tmp)/")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
SETUP_COMMANDS = ["make demo", "make test"]


def published_files() -> list[Path]:
    """Every file a reader of the repository is pointed at: README, docs/ and examples/."""
    found = [README]
    for folder in (DOCS, ROOT / "examples"):
        # Screenshots (docs/images/) are pictures, not text to read for paths and settings.
        found += sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".png")
    return found


def markdown_files() -> list[Path]:
    return [p for p in published_files() if p.suffix == ".md"]


def known_setting(name: str) -> bool:
    """As config.load decides: a defined setting, or a name reserved for the test suite."""
    bare = name[len(config.ENV_PREFIX) :]
    return bare in {s.name for s in config.SETTINGS} or bare.startswith("TEST_")


@pytest.mark.parametrize(
    "settings",
    [
        config.BROKER,
        bank_config.BANK,
        issuer_config.ISSUER,
        reader_config.READER,
        rp_config.SERVICE,
        witness_config.WITNESS,
    ],
    ids=lambda settings: settings.prefix,
)
def test_configuration_page_names_every_setting(settings):
    text = (DOCS / "configuration.md").read_text()
    rows = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", text, re.M))
    missing = [settings.env_name(s) for s in settings.table if settings.env_name(s) not in rows]
    assert missing == [], f"docs/configuration.md lacks a row for {missing}"
    assert settings.docs == "docs/configuration.md"  # where a refusal to start points


@pytest.mark.parametrize("path", published_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_document_names_an_unknown_setting(path):
    unknown = sorted({n for n in SETTING_NAME.findall(path.read_text()) if not known_setting(n)})
    assert unknown == [], f"{path.name} names settings idp/config.py does not define: {unknown}"


def test_events_page_names_every_event():
    text = (DOCS / "events.md").read_text()
    missing = [name for name in events.ALL if f"`{name}`" not in text]
    assert missing == [], f"docs/events.md lacks {missing}"


def test_example_clients_register_cleanly():
    entries = tomllib.loads(EXAMPLE_CLIENTS.read_text())["clients"]
    assert len(entries) >= 2
    for entry in entries:
        clients.validate(entry)
        # register() applies this rule on top of validate(); the import would fail on it.
        secret = entry.get("client_secret")
        assert secret is None or len(secret) >= 32, entry["client_id"]


def setup_section(text: str) -> list[str]:
    """The lines of the README's set-up section, up to the next heading of the same level."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"##\s+set[- ]?up", line, re.I))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), None)
    return lines[start + 1 : end]


def commands_in(lines: list[str]) -> list[str]:
    """Lines inside code fences, and prompt-like lines (`$ ...`) anywhere."""
    found, fenced = [], False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("```"):
            fenced = not fenced
        elif stripped.startswith("$ ") or (fenced and stripped):
            found.append(stripped.removeprefix("$ ").strip())
    return found


def test_readme_sets_up_with_exactly_make_demo_and_make_test():
    text = README.read_text()
    assert "make demo" in text and "make test" in text
    assert sorted(commands_in(setup_section(text))) == sorted(SETUP_COMMANDS)


@pytest.mark.parametrize("path", published_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_document_contains_a_local_path(path):
    hits = [line for line in path.read_text().splitlines() if LOCAL_PATH.search(line)]
    assert hits == [], f"{path.name} has a local machine path: {hits[0]}"


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_at_existing_files(path):
    targets = [t.split("#")[0] for t in MARKDOWN_LINK.findall(path.read_text())]
    broken = [t for t in targets if t and "://" not in t and not (path.parent / t).exists()]
    assert broken == [], f"{path.name} links to missing files: {broken}"

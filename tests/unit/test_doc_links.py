"""Every relative link in README.md and docs/ resolves: to a file, and an `#anchor` to a heading."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
# [text](target) and ![alt](target); a title after the target ("...") is allowed.
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def prose_lines(text: str) -> list[str]:
    """The lines outside fenced code blocks, with inline code spans kept for headings."""
    lines, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            lines.append(line)
    return lines


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its text
    text = re.sub(r"<[^>]+>", "", text).lower()
    text = re.sub(r"[^\w\- ]", "", text)  # \w keeps letters of every script, digits and _
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading's anchor in a Markdown file; repeats get -1, -2, ... as on GitHub."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for line in prose_lines(path.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> list[str]:
    """Relative link targets in prose (not in code blocks or inline code)."""
    targets = []
    for line in prose_lines(path.read_text(encoding="utf-8")):
        line = re.sub(r"`[^`]*`", "", line)
        targets += [t for t in LINK.findall(line) if not re.match(r"[a-z][a-z0-9+.-]*:", t)]
    return targets


def broken(path: Path) -> list[str]:
    problems = []
    for target in links(path):
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / unquote(file_part)).resolve() if file_part else path
        if not linked.exists():
            problems.append(f"{target}: no such file")
        elif anchor and linked.suffix == ".md" and unquote(anchor) not in anchors(linked):
            problems.append(f"{target}: no heading #{anchor} in {linked.name}")
        elif anchor and linked.suffix != ".md":
            problems.append(f"{target}: an anchor into a file that is not Markdown")
    return problems


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    assert broken(page) == []


def test_the_checker_catches_a_missing_file_and_a_missing_heading(tmp_path):
    (tmp_path / "b.md").write_text(
        "# Title\n\n## Levels of assurance (`acr`)\n\n## Twice\n\n## Twice\n"
    )
    page = tmp_path / "a.md"
    page.write_text(
        "[ok](b.md#levels-of-assurance-acr) [ok](b.md#twice-1) [self](#here)\n\n# Here\n"
        "[gone](c.md) [wrong](b.md#levels) [bad](b.md#twice-2)\n"
        "```\n[not a link](nowhere.md)\n```\n`[code](nowhere.md)` [web](https://example.com/x)\n"
    )
    assert broken(page) == [
        "c.md: no such file",
        "b.md#levels: no heading #levels in b.md",
        "b.md#twice-2: no heading #twice-2 in b.md",
    ]


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("Levels of assurance (`acr`)", "levels-of-assurance-acr"),
        ("Serving in production: `silta serve`", "serving-in-production-silta-serve"),
        ("`client_secret_jwt`", "client_secret_jwt"),
        ("DPoP: sender-constrained tokens", "dpop-sender-constrained-tokens"),
        ("Why: the policy story in one page", "why-the-policy-story-in-one-page"),
    ],
)
def test_anchors_follow_githubs_rule(heading, anchor):
    assert slug(heading) == anchor

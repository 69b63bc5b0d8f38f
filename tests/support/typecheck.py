"""`make typecheck`: mypy over every package, each held at or below its recorded error count.

The counts live in pyproject.toml (``[tool.silta.typecheck] baseline``). A package whose count
rises fails; one whose count falls passes with a reminder to lower its figure, so the baseline
only ever falls. Errors are attributed to the package of the file mypy names.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ERROR = re.compile(r"^(?P<path>[\w/.-]+\.py):\d+(?::\d+)?: error: ")


def baseline() -> dict[str, int]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return dict(config["tool"]["silta"]["typecheck"]["baseline"])


def count_errors(output: str) -> Counter[str]:
    """Errors per top-level package, from mypy's ``path:line: error:`` lines."""
    found: Counter[str] = Counter()
    for line in output.splitlines():
        match = ERROR.match(line)
        if match:
            found[match["path"].split("/", 1)[0]] += 1
    return found


def main() -> int:
    allowed = baseline()
    packages = [p for p in allowed if (ROOT / p).is_dir()]
    command = [sys.executable, "-m", "mypy", *[a for p in packages for a in ("-p", p)]]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1):  # 2: mypy itself failed (a crash, a bad config)
        print(run.stdout + run.stderr, file=sys.stderr)
        return 2
    found = count_errors(run.stdout)
    failed = False
    for package in packages:
        now, limit = found.get(package, 0), allowed[package]
        if now > limit:
            failed = True
            print(f"{package}: {now} mypy errors, more than its baseline of {limit}:")
            for line in run.stdout.splitlines():
                if line.startswith(package + "/") and ": error: " in line:
                    print("  " + line)
        elif now < limit:
            print(f"{package}: {now} mypy errors, below its baseline of {limit}: lower it.")
        else:
            print(f"{package}: {now} mypy errors (baseline {limit})")
    unknown = sorted(set(found) - set(packages))
    if unknown:
        failed = True
        print(f"mypy errors outside any package with a baseline: {', '.join(unknown)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Browser journeys: a whole `silta demo`, Debian's Chromium through Playwright, axe, screenshots.

The demo runs once per session in a temporary folder on free ports, beside any demo already up.
Chromium is the distribution's (`make` installs it; `playwright install` is never run), and
axe-core is the pinned copy the Makefile puts in the venv folder: nothing is fetched at run time.
Every journey step saves a screenshot to ``test-artifacts/screenshots/<test>/``.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.chromium import launch
from tests.browser.pages import Tab
from tests.support.demo import DemoRun
from tests.support.demo import free_offset

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
AXE_JS = Path(sys.prefix) / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")  # axe impact levels that fail a journey


def pytest_collection_modifyitems(items) -> None:
    """Every journey starts real servers (a `pytestmark` in a conftest would mark nothing)."""
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.live)


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Iterator[DemoRun]:
    """One whole demo federation for every journey of the session."""
    run = start_demo(tmp_path_factory)
    yield run
    if run.process.poll() is None:
        run.stop()
    run.process.stdout.close()


def start_demo(tmp_path_factory, attempts: int = 3) -> DemoRun:
    """Start a demo on free ports; again on other ports if another program took one meanwhile."""
    for attempt in range(1, attempts + 1):
        root = tmp_path_factory.mktemp("browser-demo") / "root"
        run = DemoRun(root, free_offset(root))
        try:
            return run.start()
        except AssertionError:
            # The demo stops everything it started before it exits; collect it and its pipe.
            run.process.wait(timeout=60)
            run.process.stdout.close()
            if attempt == attempts or "in use" not in run.banner:
                raise
    raise ValueError("attempts must be at least 1")


@pytest.fixture(scope="session")
def chromium():
    """Headless Chromium from the distribution."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(chromium, request):
    """A fresh browser context (no cookies from other journeys) and its page, in English."""
    context = chromium.new_context(locale="en-GB")
    context.set_default_timeout(20_000)
    opened = context.new_page()
    console: list[str] = []
    opened.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    yield opened
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:  # the page as the journey left it, for the artefacts
        folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name)
        folder.mkdir(parents=True, exist_ok=True)
        opened.screenshot(path=str(folder / "99-at-failure.png"), full_page=True)
        (folder / "console.txt").write_text("\n".join(console) + "\n")
    context.close()


class Screenshots:
    """Saves one numbered screenshot per journey step."""

    def __init__(self, test_name: str) -> None:
        self.folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", test_name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def __call__(self, page, step: str) -> Path:
        self.count += 1
        name = re.sub(r"[^\w-]+", "-", step)
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shot(request) -> Screenshots:
    return Screenshots(request.node.name)


def violations_report(violations: list[dict]) -> str:
    """axe violations, one readable paragraph each: rule, impact, help, where."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}  [{v['helpUrl']}]")
        lines += [f"    at {' '.join(n['target'])}: {n['failureSummary']}" for n in v["nodes"][:5]]
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE_JS.exists(), "axe-core is missing: run `make test` (it installs it)."
    return AXE_JS.read_text()


@pytest.fixture
def axe(axe_source, shot):
    """Check the current page with axe-core; fail on serious or critical violations."""

    def check(page, step: str) -> None:
        shot(page, step)
        # Evaluated through the DevTools protocol, so the page's own CSP stays as it is.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(axe_source + "\n;0")
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
        if blocking:
            pytest.fail(
                f"axe found {len(blocking)} serious or critical problem(s) on {page.url} "
                f"({step}):\n{violations_report(blocking)}",
                pytrace=False,
            )

    return check


@pytest.fixture
def tab(page, axe, demo) -> Tab:
    """The citizen's browser tab: the page, the axe check every helper runs, the demo."""
    return Tab(page, axe, demo)


@pytest.fixture
def other_browser(chromium, axe, demo):
    """Open another person's browser (its own context and cookies), e.g. a desk official's."""
    contexts = []

    def open_tab(locale: str = "en-GB") -> Tab:
        context = chromium.new_context(locale=locale)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return Tab(context.new_page(), axe, demo)

    yield open_tab
    for context in contexts:
        context.close()

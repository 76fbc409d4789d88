"""Fixtures for the browser suite: headless Chromium (Debian's), JupyterLab, page monitors.

Everything a notebook's reader can break shows up here as a failure: a browser that
cannot start (never skipped, in CI or locally), an error output or a traceback from a
slider callback (read from the kernel's websocket messages as well as from the page),
and any JavaScript console error.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import harness  # noqa: E402
from harness import ARTIFACTS, LATENCY, NOTEBOOKS, SCREENSHOTS, TIMES  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LOOPBACK = re.compile(r"^(?:https?|wss?)://(?:127\.\d+\.\d+\.\d+|localhost|\[::1\])(?::\d+)?/")
# Requests that leave the machine are stopped: the course must work offline. Voila's page
# template links FontAwesome's CSS from a CDN although Voila bundles the same icons; that
# one stylesheet is answered with an empty one. Any other external request fails the test.
OFFLINE_STUBS = re.compile(
    r"^https://cdn\.jsdelivr\.net/npm/@fortawesome/fontawesome-free@[^/]+/css/"
)


# screenshots named <kind>__<notebook>...: Voila, the dark and light contrast runs, the static
# HTML site, JupyterLab before running (static)
SCREENSHOT_KINDS = ("voila__", "dark__", "light__", "html__", "static__")


def pytest_sessionstart(session):
    """Remove the screenshots of notebooks that no longer exist."""
    stems = {p.stem for p in NOTEBOOKS.glob("*.ipynb")} | {"index", "explorer", "probe"}
    for png in SCREENSHOTS.glob("*.png"):
        stem = png.stem
        for kind in SCREENSHOT_KINDS:
            stem = stem.removeprefix(kind)
        if stem.split("__")[0] not in stems:
            png.unlink()


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium from the system (Debian's ``chromium``); a failure to start fails."""
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail(
            "Debian's `chromium` is not on PATH (apt-get install chromium): the browser "
            "suite cannot run",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001 - report whatever stopped the browser
            pytest.fail(f"headless Chromium ({exe}) could not start:\n{exc}", pytrace=False)
        yield b
        b.close()


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab serving a temporary copy of notebooks/, stopped by PID at the end."""
    try:
        server = harness.start_lab(NOTEBOOKS, tmp_path_factory.mktemp("lab"))
    except RuntimeError as exc:
        pytest.fail(f"JupyterLab did not start: {exc}", pytrace=False)
    # the slider latencies are measured as `make lab` serves them: without the Nagle delay
    assert "bplib_nodelay: kernel websockets use TCP_NODELAY" in server.log.read_text()
    yield server
    server.stop()


class PageMonitor:
    """Collects console errors, page errors and kernel messages seen by one page."""

    def __init__(self, page):
        self.page = page
        self.console_errors: list[str] = []
        self.kernel_errors: list[str] = []
        self.messages: list[tuple[str, str, dict]] = []  # (channel, msg_type, content)
        self.sent: list[str] = []  # msg_type of each message the page sent to a kernel
        self.external: list[str] = []  # requests to other hosts (stopped)
        page.route(lambda url: not LOOPBACK.match(url), self._offline)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"page error: {exc}"))
        page.on("websocket", self._websocket)

    def _offline(self, route):
        url = route.request.url
        if OFFLINE_STUBS.match(url):
            route.fulfill(status=200, content_type="text/css", body="/* offline */")
        else:
            self.external.append(url)
            route.abort()

    def _console(self, msg):
        if msg.type == "error":
            url = (msg.location or {}).get("url", "")
            self.console_errors.append(f"console.error: {msg.text}" + (f" ({url})" if url else ""))

    def _websocket(self, ws):
        ws.on("framereceived", self._frame)
        ws.on("framesent", self._sent)

    def _sent(self, payload):
        try:
            self.sent.append(parse_frame(payload)[1].get("msg_type", ""))
        except Exception:  # noqa: BLE001 - not a kernel message
            pass

    def _frame(self, payload):
        try:
            channel, header, content = parse_frame(payload)
        except Exception:  # noqa: BLE001 - not a kernel message (e.g. another websocket)
            return
        msg_type = header.get("msg_type", "")
        self.messages.append((channel, msg_type, content))
        if msg_type == "error":
            tb = ANSI.sub("", "\n".join(content.get("traceback", [])))
            self.kernel_errors.append(f"{content.get('ename')}: {content.get('evalue')}\n{tb}")
        elif (
            msg_type == "stream"
            and content.get("name") == "stderr"
            and re.search(r"Traceback|Error", content.get("text", ""))
        ):
            self.kernel_errors.append(ANSI.sub("", content["text"]))

    def pending(self, request):
        """How many ``<x>_request`` messages of this kind still wait for their reply."""
        reply = request.replace("_request", "_reply")
        return self.sent.count(request) - self.count(reply)

    def count(self, msg_type, since=0):
        return sum(1 for _, t, _ in self.messages[since:] if t == msg_type)

    def problems(self):
        external = [
            f"request to another host (the course must work offline): {u}" for u in self.external
        ]
        return self.kernel_errors + self.console_errors + external


def parse_frame(payload):
    """(channel, header, content) of a kernel websocket frame (v1 binary protocol or JSON)."""
    if isinstance(payload, str):
        msg = json.loads(payload)
        return msg.get("channel", ""), msg["header"], msg.get("content", {})
    n = int.from_bytes(payload[:8], "little")
    offsets = [int.from_bytes(payload[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(n)]
    parts = [payload[offsets[i] : offsets[i + 1]] for i in range(n - 1)]
    channel = parts[0].decode("utf-8")
    return channel, json.loads(parts[1]), json.loads(parts[4])


@pytest.fixture(scope="session")
def context(browser):
    """One browser context for the session: its HTTP cache keeps JupyterLab's bundles
    between tests (each notebook still opens in a workspace of its own)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def new_page(context):
    """``new_page()`` -> (page, monitor): a fresh page with a monitor; closed after the test."""
    pages = []

    def make():
        page = context.new_page()
        page.set_default_timeout(30_000)
        pages.append(page)
        return page, PageMonitor(page)

    yield make
    for page in pages:
        page.close()


def pytest_runtest_logreport(report):
    """Under xdist (``make test-browser`` runs two workers) each worker's latencies and test
    times reach the controller as the teardown report's user properties (see ``timed``)."""
    if report.when != "teardown":
        return
    for name, value in report.user_properties:
        if name != "bplib_browser":
            continue
        for k, seconds in value["times"].items():
            TIMES.setdefault(k, seconds)
        for k, kinds in value["latency"].items():
            LATENCY.setdefault(k, kinds)


def pytest_sessionfinish(session):
    if hasattr(session.config, "workerinput") or not LATENCY:
        return  # a worker: the controller writes the summary
    ARTIFACTS.mkdir(exist_ok=True)
    summary = {
        k: {
            kind: {"median_ms": round(statistics.median(v), 1), "n": len(v)}
            for kind, v in kinds.items()
        }
        for k, kinds in LATENCY.items()
    }
    for k, seconds in TIMES.items():
        summary.setdefault(k, {})["test_seconds"] = round(seconds, 1)
    (ARTIFACTS / "browser_latency.json").write_text(json.dumps(summary, indent=1) + "\n")


def pytest_terminal_summary(terminalreporter):
    if not LATENCY and not TIMES:
        return
    tr = terminalreporter
    tr.section("slider event -> new plot image (median, in the page)")
    tr.write_line(
        f"{'notebook':34s} {'keyboard ms':>12s} {'drag ms':>9s} {'events':>7s} {'test s':>7s}"
    )
    for k in sorted(set(LATENCY) | set(TIMES)):
        kinds = LATENCY.get(k, {})
        med = {kind: f"{statistics.median(v):.0f}" for kind, v in kinds.items()}
        n = sum(len(v) for v in kinds.values())
        tr.write_line(
            f"{k:34s} {med.get('keyboard', '-'):>12s} {med.get('drag', '-'):>9s} "
            f"{n:>7d} {TIMES.get(k, float('nan')):>7.1f}"
        )
    tr.write_line(
        f"(written to {ARTIFACTS / 'browser_latency.json'}; screenshots in {SCREENSHOTS})"
    )


@pytest.fixture
def timed(request):
    """Record the wall time of a test under a key (the notebook's name)."""
    start = time.perf_counter()
    keys = []
    yield keys.append
    for k in keys:
        TIMES[k] = time.perf_counter() - start
    request.node.user_properties.append(
        (
            "bplib_browser",
            {
                "times": {k: TIMES[k] for k in keys},
                "latency": {k: LATENCY[k] for k in keys if k in LATENCY},
            },
        )
    )

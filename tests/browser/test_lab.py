"""Every notebook in JupyterLab, in headless Chromium, as a student uses it.

For each notebooks/*.ipynb (a temporary copy, in a fresh workspace): the static views of its
explorers before any kernel runs; then, for a notebook with explorers, Kernel >
Restart Kernel and Run All Cells, wait for the kernel, fail on any error output,
kernel traceback or JavaScript console error; then move every slider of every
explorer with the keyboard and with a mouse drag, and check that its plot changed
and that its readout shows the slider's value. A screenshot of the whole notebook
and one per explorer go to artifacts/screenshots/; slider-to-plot latencies are
printed at the end and written to artifacts/browser_latency.json.
"""

from __future__ import annotations

import re
import secrets
import time

import nbformat
import pytest
from explorers import ExplorerError, exercise
from harness import NOTEBOOKS, SCREENSHOTS, record_latency, shutdown_kernels

PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
RUN_TIMEOUT_S = 180
START = [0.0]  # start time of the current test, for the progress lines


def log(start, text):
    """Progress lines (shown with -s, and under a failing test's captured output)."""
    print(f"[{time.perf_counter() - start:6.1f} s] {text}", flush=True)


def expected_explorers(nb):
    """How many explorers the stored outputs show (their text starts with 'Explorer(')."""
    return sum(
        1
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("data", {}).get("text/plain", "").startswith("Explorer(")
    )


# notebooks with explorers get a test each (their kernel runs and every slider moves); the
# others only need to open, and open in one page (JupyterLab loads once for all of them)
EXPLORER_PATHS = [p for p in PATHS if expected_explorers(nbformat.read(p, as_version=4))]
PLAIN_PATHS = [p for p in PATHS if p not in EXPLORER_PATHS]


def wait_for(page, condition, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout_s} s waiting for {what}", pytrace=False)
        page.wait_for_timeout(100)  # lets Playwright deliver the page's events


DONE_JS = """n => {
  const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')]
    .map(e => e.textContent.trim());
  const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return prompts.length >= n && prompts.every(t => /^\\[\\d+\\]:$/.test(t))
         && (!status || status.dataset.status === 'idle');
}"""


def restart_and_run_all(page, monitor, n_code, name):
    # the kernel is connected once it has answered JupyterLab's kernel_info_request
    wait_for(page, lambda: monitor.count("kernel_info_reply"), 120, f"{name}: a kernel")
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=60_000)
    # The debugger asks a new kernel for its state (several debug_requests); restarting
    # before the replies makes JupyterLab log a console error. A student is never that
    # fast: wait until no request has been pending for half a second.
    deadline, quiet = time.monotonic() + 20, 0
    while quiet < 5 and time.monotonic() < deadline:
        quiet = (
            quiet + 1
            if not (monitor.pending("debug_request") or monitor.pending("kernel_info_request"))
            else 0
        )
        page.wait_for_timeout(100)
    mark = len(monitor.messages)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Kernel$")).click()
    page.locator(".lm-Menu-itemLabel", has_text="Restart Kernel and Run All Cells").click()
    page.locator(".jp-Dialog-button.jp-mod-accept").click()
    log(START[0], f"{name}: restarted, running all cells")

    def done():
        if monitor.count("execute_reply", since=mark) >= n_code:
            return True
        # Or from the page: once a cell has started, every prompt shows a new number
        # (queued cells show [*]) and the kernel is idle.
        return bool(monitor.count("execute_input", since=mark)) and page.evaluate(DONE_JS, n_code)

    deadline = time.monotonic() + RUN_TIMEOUT_S
    while not done():
        if time.monotonic() > deadline:
            prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
            pytest.fail(
                f"{name}: Restart Kernel and Run All did not finish in {RUN_TIMEOUT_S} s "
                f"({n_code} code cells): execute_request sent "
                f"{monitor.sent.count('execute_request')}, execute_input "
                f"{monitor.count('execute_input', since=mark)}, execute_reply "
                f"{monitor.count('execute_reply', since=mark)}; prompts {prompts}\n"
                + "\n".join(monitor.problems()),
                pytrace=False,
            )
        page.wait_for_timeout(100)
    page.wait_for_selector(
        '.jp-Notebook-ExecutionIndicator[data-status="idle"]', timeout=RUN_TIMEOUT_S * 1000
    )
    replies = [c for _, t, c in monitor.messages[mark:] if t == "execute_reply"]
    return [r.get("status") for r in replies]


STATIC_JS = """() => [...document.querySelectorAll('.jp-NotebookPanel .bplib-static-explorer')]
  .map(e => { const img = e.querySelector('img');
    return {loaded: !!img && img.complete && img.naturalWidth > 0,
            alt: img ? img.getAttribute('alt') : null,
            readout: ((e.querySelector('.bplib-static-readout') || {}).textContent || '').trim(),
            caption: /What to notice/.test(
              (e.querySelector('.bplib-static-caption') || {}).textContent || '')}; })"""


def static_explorers(page, n, timeout_s=30):
    """The static explorer views JupyterLab shows from the stored outputs (before running),
    once ``n`` of them have their image loaded (or the time is up)."""
    deadline = time.monotonic() + timeout_s
    while True:
        views = page.evaluate(STATIC_JS)
        if (len(views) >= n and all(v["loaded"] for v in views)) or time.monotonic() > deadline:
            return views
        page.wait_for_timeout(200)


def grow(page):
    """Make the viewport as tall as the notebook: every cell visible, nothing scrolled."""
    height = page.evaluate("""() => {
        const s = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer')
               || document.querySelector('.jp-NotebookPanel .jp-Notebook');
        return s ? s.scrollHeight : 900; }""")
    page.set_viewport_size({"width": 1280, "height": min(height + 160, 16_000)})
    page.evaluate("""() => document.querySelectorAll('.jp-NotebookPanel .jp-WindowedPanel-outer')
                               .forEach(s => { s.scrollTop = 0; })""")
    page.wait_for_timeout(300)


def screenshots(page, stem, explorers, failed=None):
    """The whole notebook, and each explorer (``failed``: index of the one that failed)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    grow(page)
    for i in range(explorers.count()):
        suffix = "_FAILED" if i == failed else ""
        explorers.nth(i).screenshot(path=str(SCREENSHOTS / f"{stem}__explorer{i + 1}{suffix}.png"))
    page.screenshot(path=str(SCREENSHOTS / f"{stem}.png"))


CURRENT_TITLE_JS = """() => {
  const tab = document.querySelector('.jp-MainAreaWidget-ContainerTab.lm-mod-current, '
                                   + '#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current');
  return tab ? tab.textContent.trim() : '';
}"""

SHOWN_JS = """() => {
  const panel = [...document.querySelectorAll('.jp-NotebookPanel')]
    .find(p => !p.classList.contains('lm-mod-hidden') && p.offsetParent !== null);
  if (!panel) return null;
  return {cells: panel.querySelectorAll('.jp-Cell').length,
          rendered: panel.querySelectorAll('.jp-MarkdownOutput, .jp-RenderedMarkdown').length,
          statics: panel.querySelectorAll('.bplib-static-explorer').length};
}"""


def test_notebooks_without_explorers_open_in_jupyterlab(lab, new_page, timed):
    """The notebooks without explorers, opened one after another from JupyterLab's file
    browser in one page, as a student opens the next notebook: each shows its cells and its
    rendered text, no explorer view, and no JavaScript console error. (Strict nbval runs
    their cells; no kernel is started here.)"""
    assert PLAIN_PATHS, "every notebook has explorers: drop this test"
    timed("without explorers: " + ", ".join(p.stem[:2] for p in PLAIN_PATHS))
    t0 = START[0] = time.perf_counter()
    page, monitor = new_page()
    first, *rest = PLAIN_PATHS
    workspace = f"test-plain-{secrets.token_hex(4)}"
    page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/{first.name}?token={lab.token}&reset")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    try:
        for k, path in enumerate(PLAIN_PATHS):
            name = path.name
            if k:
                item = page.locator(".jp-DirListing-item", has_text=name)
                if not item.count():  # the file browser is collapsed: open it
                    page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab").first.click()
                item.first.dblclick()
                wait_for(page, lambda n=name: n in page.evaluate(CURRENT_TITLE_JS), 60, name)
            wait_for(
                page,
                lambda: (page.evaluate(SHOWN_JS) or {}).get("rendered", 0) > 0,
                60,
                f"{name}: rendered cells",
            )
            shown = page.evaluate(SHOWN_JS)
            log(t0, f"{name} open: {shown}")
            assert shown["statics"] == 0, f"{name}: explorer views where none are stored: {shown}"
            page.wait_for_timeout(300)
            assert not monitor.problems(), f"{name}:\n" + "\n".join(monitor.problems())
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{path.stem}.png"))
    finally:
        shutdown_kernels(lab)


@pytest.mark.parametrize("path", EXPLORER_PATHS, ids=[p.stem for p in EXPLORER_PATHS])
def test_notebook_in_jupyterlab(path, lab, new_page, timed):
    name = path.name
    timed(path.stem)
    t0 = START[0] = time.perf_counter()
    nb = nbformat.read(lab.root / name, as_version=4)  # the copy the server shows
    n_code = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())
    n_explorers = expected_explorers(nb)
    for old in [SCREENSHOTS / f"{path.stem}.png", *SCREENSHOTS.glob(f"{path.stem}__explorer*.png")]:
        old.unlink(missing_ok=True)
    page, monitor = new_page()
    failed = None
    try:
        workspace = f"test-{path.stem}-{secrets.token_hex(4)}"
        page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/{name}?token={lab.token}&reset")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
        log(t0, f"{name} open")
        side = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
        if side.count():
            side.first.click()  # collapse the file browser: the notebook gets the width
        # before any kernel runs, the stored outputs show every explorer's static picture,
        # readout and "What to notice" caption (and every picture has alt text)
        static = static_explorers(page, n_explorers)
        assert len(static) == n_explorers, (
            f"{name}: before running, {len(static)} static explorer views are shown, "
            f"the stored outputs hold {n_explorers}: {static}"
        )
        for i, view in enumerate(static, 1):
            assert view["loaded"] and view["alt"] and view["readout"] and view["caption"], (
                f"{name}: static view of explorer {i} before running is incomplete: {view}"
            )
        if static:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.locator(".jp-NotebookPanel .bplib-static-explorer").first.screenshot(
                path=str(SCREENSHOTS / f"static__{path.stem}__explorer1.png")
            )
        statuses = restart_and_run_all(page, monitor, n_code, name)
        log(t0, f"{name}: Restart Kernel and Run All done ({len(statuses)} code cells)")
        assert all(s == "ok" for s in statuses), f"{name}: cells failed: {statuses}\n" + "\n".join(
            monitor.kernel_errors
        )
        shown = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        ).all_inner_texts()
        bad = [t for t in shown if re.search(r"Traceback|Error", t)]
        assert not bad, f"{name}: error output after Run All:\n" + "\n".join(bad)
        # every explorer the stored notebook shows is live, with its first image
        explorers = page.locator(".bplib-explorer")
        wait_for(
            page,
            lambda: (
                page.locator(".bplib-explorer img.bplib-plot[src^='blob:']").count() >= n_explorers
            ),
            60,
            f"{name}: {n_explorers} live explorers",
        )
        assert explorers.count() == n_explorers, (
            f"{name}: {explorers.count()} explorers on the page, the stored outputs show {n_explorers}"
        )
        for i in range(n_explorers):
            explorer = explorers.nth(i)
            label = f"{name}, explorer {i + 1}"
            failure = None
            try:
                moved = exercise(
                    page,
                    explorer,
                    label,
                    lambda kind, ms: record_latency(path.stem, kind, ms),
                    monitor.kernel_errors,
                )
            except ExplorerError as exc:
                failure = str(exc)
            if failure:
                failed = i
                others = [p for p in monitor.problems() if p not in failure]
                pytest.fail("\n".join([failure, *others]), pytrace=False)
            assert moved, f"{label}: no slider found"
            log(t0, f"{label}: moved {', '.join(moved)}")
        page.wait_for_timeout(200)
        assert not monitor.problems(), f"{name}:\n" + "\n".join(monitor.problems())
    finally:
        try:
            screenshots(page, path.stem, page.locator(".bplib-explorer"), failed)
        finally:
            shutdown_kernels(lab)

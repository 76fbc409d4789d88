"""One notebook in Voila (the page for students who should not see code): move its sliders.

Voila serves ``01_*.ipynb`` (or the first notebook whose stored outputs show an
explorer) from a temporary copy; the page must show every explorer without errors, and
moving each slider must redraw its plot and update its readout.
"""

from __future__ import annotations

import nbformat
import pytest
from explorers import ExplorerError, exercise
from harness import NOTEBOOKS, SCREENSHOTS, record_latency, start_voila
from test_lab import expected_explorers, wait_for


def voila_notebook():
    with_explorer = [
        p
        for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
        if expected_explorers(nbformat.read(p, as_version=4))
    ]
    preferred = [p for p in with_explorer if p.name.startswith("01_")]
    return (preferred or with_explorer or [None])[0]


def test_voila_explorer(new_page, tmp_path, timed):
    path = voila_notebook()
    if path is None:
        pytest.fail(
            f"no notebook in {NOTEBOOKS} shows an explorer: nothing to open in Voila", pytrace=False
        )
    key = f"voila: {path.stem}"
    timed(key)
    try:
        server = start_voila(path, tmp_path)
    except RuntimeError as exc:
        pytest.fail(f"Voila did not start: {exc}", pytrace=False)
    try:
        page, monitor = new_page()
        page.goto(f"{server.url}/", timeout=120_000)
        wait_for(
            page,
            lambda: page.locator(".bplib-explorer img.bplib-plot[src^='blob:']").count() >= 1,
            120,
            f"Voila to show the explorer of {path.name}",
        )
        explorers = page.locator(".bplib-explorer")
        n = expected_explorers(nbformat.read(server.root / path.name, as_version=4))
        wait_for(
            page,
            lambda: page.locator(".bplib-explorer img.bplib-plot[src^='blob:']").count() >= n,
            60,
            f"Voila to show the {n} explorers of {path.name}",
        )
        for i in range(n):
            failure = None
            try:
                moved = exercise(
                    page,
                    explorers.nth(i),
                    f"Voila {path.name}, explorer {i + 1}",
                    lambda kind, ms: record_latency(key, kind, ms),
                    monitor.kernel_errors,
                )
            except ExplorerError as exc:
                failure = str(exc)
            if failure:
                others = [p for p in monitor.problems() if p not in failure]
                pytest.fail("\n".join([failure, *others]), pytrace=False)
            assert moved, f"Voila {path.name}, explorer {i + 1}: no slider found"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # the page scrolls inside a container: make the viewport as tall as the content
        height = page.evaluate("""() => { window.scrollTo(0, 0);
            let h = document.documentElement.scrollHeight;
            document.querySelectorAll('*').forEach(e => {
                if (e.scrollTop) e.scrollTop = 0; h = Math.max(h, e.scrollHeight); });
            return h; }""")
        page.set_viewport_size({"width": 1280, "height": min(height + 40, 16_000)})
        page.wait_for_timeout(300)
        page.screenshot(path=str(SCREENSHOTS / f"voila__{path.stem}.png"))
        page.wait_for_timeout(200)
        assert not monitor.problems(), f"Voila {path.name}:\n" + "\n".join(monitor.problems())
    finally:
        server.stop()

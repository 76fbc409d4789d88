"""Readable in JupyterLab's light and dark themes: feedback boxes and toggle buttons.

Dark theme: a JupyterLab of its own (user settings: theme "JupyterLab Dark") runs one
notebook (02_*, which has exercises and a toggle; else the first one with an explorer)
with one cell added at the end that shows a feedback box of every status (correct, not
attempted, wrong, error) with a hint. Light theme: the session's JupyterLab runs a small
notebook with the same cell and an explorer with a toggle.

For every feedback box the contrast of its status headline, its message and its hint
with the box's background (composited from the computed styles up to the page) must be at
least 4.5:1. For every toggle row the selected button's text must have 4.5:1 on its
background, and that background must differ from an unselected button's by at least 3:1.
Screenshots: artifacts/screenshots/dark__<notebook>.png, dark__probe__feedback.png,
dark__probe__toggle.png and light__probe__*.png; the measured ratios go to
artifacts/contrast.json.
"""

from __future__ import annotations

import json
import re
import time

import nbformat
import pytest
from harness import ARTIFACTS, DARK_THEME, NOTEBOOKS, SCREENSHOTS, shutdown_kernels, start_lab
from test_lab import grow, restart_and_run_all, wait_for

PROBE_SOURCE = """\
from bplib.exercises.feedback import STATUSES, Feedback

for status in STATUSES:
    display(Feedback("contrast_probe", status, f"The message of a {status} check: `delta[l]` is δ^l.",
                     hints=["Compare with equation (BP2)."]))"""
EXPLORER_SOURCE = """\
from bplib.explorers.descent import descent_1d_explorer

descent_1d_explorer()"""

# WCAG 2 contrast of a text element with what is behind it: the element's own background
# and its ancestors', composited over white (the themes give the page an opaque background)
CONTRAST_JS = """el => {
  const parse = s => {
    const m = /rgba?\\(([^)]+)\\)/.exec(s || '');
    if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
  }
  let bg = [255, 255, 255];
  for (const c of layers.reverse()) bg = bg.map((v, i) => c[3] * c[i] + (1 - c[3]) * v);
  const f = parse(getComputedStyle(el).color);
  const fg = f.slice(0, 3).map((v, i) => f[3] * v + (1 - f[3]) * bg[i]);
  const lum = c => c.map(v => { v /= 255; return v <= 0.04045 ? v / 12.92
      : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
  const hex = c => '#' + c.map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  return {ratio: (a + 0.05) / (b + 0.05), fg: hex(fg), bg: hex(bg)};
}"""

BG_JS = """([a, b]) => {
  const bg = el => { const m = /rgba?\\(([^)]+)\\)/.exec(getComputedStyle(el).backgroundColor);
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    const alpha = p.length > 3 ? p[3] : 1;
    const page = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
    return p.slice(0, 3).map((v, i) => alpha * v + (1 - alpha) * page[i]); };
  const lum = c => c.map(v => { v /= 255; return v <= 0.04045 ? v / 12.92
      : Math.pow((v + 0.055) / 1.055, 2.4); })
    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const [x, y] = [lum(bg(a)), lum(bg(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}"""

RESULTS: dict[str, dict] = {}


def _probe_notebook(path, base=None):
    """``base`` (a notebook) with the probe cell appended, or a new notebook with the probe
    cell and an explorer with a toggle, written to ``path``."""
    if base is not None:
        nb = nbformat.read(base, as_version=4)
    else:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nb.cells.append(nbformat.v4.new_code_cell(EXPLORER_SOURCE))
    probe = nbformat.v4.new_code_cell(PROBE_SOURCE)
    probe.metadata["tags"] = ["contrast-probe"]
    nb.cells.append(probe)
    nbformat.write(nb, path)
    return nb


def _dark_notebook():
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    preferred = [p for p in paths if p.name.startswith("02_")]
    return (preferred or [p for p in paths if "ToggleButtons" in p.read_text()] or paths)[0]


def measure(page, theme, key):
    """Contrast of every feedback box and toggle row on the page; screenshots."""
    boxes = page.locator(".jp-NotebookPanel .bplib-feedback")
    wait_for(page, lambda: boxes.count() >= 4, 30, "the four probe feedback boxes")
    found = {"feedback": [], "toggle": []}
    problems = []
    for i in range(boxes.count()):
        box = boxes.nth(i)
        status = re.sub(r".*bplib-feedback-(\S+).*", r"\1", box.get_attribute("class"))
        parts = {
            "status": box.locator(".bplib-feedback-status"),
            "message": box.locator(":scope > div").first,
            "hint": box.locator("summary").first,
        }
        for part, loc in parts.items():
            if not loc.count():
                continue
            c = loc.evaluate(CONTRAST_JS)
            found["feedback"].append({"status": status, "part": part, **c})
            if c["ratio"] < 4.5:
                problems.append(
                    f"{theme}: feedback '{status}' {part}: contrast {c['ratio']:.2f}:1 "
                    f"({c['fg']} on {c['bg']}), needs 4.5:1"
                )
    toggles = page.locator(".jp-NotebookPanel .bplib-toggle")
    for i in range(toggles.count()):
        row = toggles.nth(i)
        selected = row.locator(".widget-toggle-button.mod-active")
        other = row.locator(".widget-toggle-button:not(.mod-active)")
        if not selected.count() or not other.count():
            problems.append(f"{theme}: toggle row {i + 1} has no selected or no other button")
            continue
        text = selected.first.evaluate(CONTRAST_JS)
        other_text = other.first.evaluate(CONTRAST_JS)
        apart = page.evaluate(
            BG_JS, [selected.first.element_handle(), other.first.element_handle()]
        )
        found["toggle"].append(
            {"selected_text": text, "unselected_text": other_text, "selected_vs_unselected": apart}
        )
        if text["ratio"] < 4.5 or other_text["ratio"] < 4.5:
            problems.append(f"{theme}: toggle {i + 1} text contrast {text} / {other_text}")
        if apart < 3.0:
            problems.append(
                f"{theme}: toggle {i + 1}: the selected button's background differs from an "
                f"unselected one's by {apart:.2f}:1 only (needs 3:1)"
            )
    RESULTS[key] = found
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    grow(page)
    last = page.locator(".jp-NotebookPanel .jp-CodeCell").last
    last.locator(".jp-OutputArea").screenshot(
        path=str(SCREENSHOTS / f"{theme}__probe__feedback.png")
    )
    if toggles.count():
        explorer = page.locator(".bplib-explorer").filter(has=page.locator(".bplib-toggle"))
        explorer.first.screenshot(path=str(SCREENSHOTS / f"{theme}__probe__toggle.png"))
    ARTIFACTS.mkdir(exist_ok=True)
    # the two themes may run in two xdist workers: each adds its own results to the file
    out = ARTIFACTS / "contrast.json"
    try:
        merged = {**json.loads(out.read_text()), **RESULTS}
    except (OSError, ValueError):
        merged = RESULTS
    out.write_text(json.dumps(merged, indent=1) + "\n")
    return problems


def run_probe(lab, new_page, name, theme):
    page, monitor = new_page()
    nb = nbformat.read(lab.root / name, as_version=4)
    n_code = sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())
    try:
        page.goto(
            f"{lab.url}/lab/workspaces/{theme}-{time.time_ns()}/tree/{name}?token={lab.token}&reset"
        )
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
        side = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
        if side.count():
            side.first.click()
        light = page.evaluate("() => document.body.dataset.jpThemeLight")
        assert light == ("false" if theme == "dark" else "true"), (
            f"JupyterLab shows data-jp-theme-light={light!r}, expected the {theme} theme"
        )
        statuses = restart_and_run_all(page, monitor, n_code, name)
        assert all(s == "ok" for s in statuses), f"{name}: {statuses}\n{monitor.kernel_errors}"
        problems = measure(page, theme, f"{theme}: {name}")
        if theme == "dark":
            page.screenshot(path=str(SCREENSHOTS / f"dark__{name.split('__')[0]}.png"))
            for i in range(page.locator(".bplib-explorer").count()):
                page.locator(".bplib-explorer").nth(i).screenshot(
                    path=str(SCREENSHOTS / f"dark__{name.split('__')[0]}__explorer{i + 1}.png")
                )
        assert not problems, "\n".join(problems)
        assert not monitor.problems(), "\n".join(monitor.problems())
    finally:
        shutdown_kernels(lab)


@pytest.fixture(scope="module")
def dark_lab(tmp_path_factory):
    try:
        server = start_lab(NOTEBOOKS, tmp_path_factory.mktemp("dark"), settings=DARK_THEME)
    except RuntimeError as exc:
        pytest.fail(f"JupyterLab (dark theme) did not start: {exc}", pytrace=False)
    yield server
    server.stop()


def test_contrast_in_dark_theme(dark_lab, new_page, timed):
    base = _dark_notebook()
    timed(f"dark: {base.stem}")
    name = f"{base.stem}__probe.ipynb"
    _probe_notebook(dark_lab.root / name, dark_lab.root / base.name)
    run_probe(dark_lab, new_page, name, "dark")


def test_contrast_in_light_theme(lab, new_page, timed):
    timed("light: probe")
    name = "probe__contrast.ipynb"
    _probe_notebook(lab.root / name)
    run_probe(lab, new_page, name, "light")

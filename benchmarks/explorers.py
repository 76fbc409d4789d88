"""Explorers: the kernel-side cost of every slider event in every notebook.

Each notebook in ``notebooks/`` (whatever exists: ``NN_*.ipynb``) is executed
top to bottom in a fresh kernel, as ``tools/run_notebooks.py`` does. Then, in
the same kernel, every :class:`bplib.widgets.Explorer` alive is driven the way
a reader would: each control is moved through several values across its range
(every option of a dropdown), one at a time, and put back. Each move is one
event, whose cost ``Explorer.refresh`` records in ``explorer.event_ms``:
``update`` plus rendering the PNG and the readout, everything the kernel does
before the browser receives the new image. The first draw when the explorer
is built is not counted.

Goal: a median under 50 ms per explorer; under 150 ms for the explorers that
retrain a network on every event (notebook 08's live training).

``python benchmarks/explorers.py`` drives the same events without the
notebooks: every explorer of :data:`DIRECT` is built with its defaults in this
process (a quick check while the notebooks are being edited).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GOAL_MS = 50.0
RETRAINING_GOAL_MS = 150.0
#: Explorers that retrain a network on every event: (notebook prefix, builder name).
RETRAINING = {("08", "live_training_explorer")}
MARKER = "BPLIB-EXPLORER-BENCHMARK:"
#: Every explorer the notebooks show: (notebook prefix, module in bplib.explorers, builder).
DIRECT = [
    ("01", "neurons", "network_explorer"),
    ("02", "cost", "cost_parabola_explorer"),
    ("02", "cost", "batch_cost_explorer"),
    ("03", "descent", "descent_1d_explorer"),
    ("03", "descent", "neuron_descent_explorer"),
    ("04", "chain", "chain_explorer"),
    ("05", "output_error", "output_error_explorer"),
    ("06", "recursion", "delta_network_explorer"),
    ("06", "recursion", "depth_explorer"),
    ("07", "partials", "per_example_explorer"),
    ("07", "partials", "sum_vs_mean_explorer"),
    ("08", "learning", "live_training_explorer"),
    ("08", "learning", "snapshot_explorer"),
    ("09", "epsilon", "eps_explorer"),
]

# Run in the notebook's kernel after the notebook itself. Names start with _bench
# so they cannot clash with the notebook's own.
KERNEL_CODE = r"""
def _bench_explorers(values_per_control):
    import json, math
    import numpy as _np
    from bplib.widgets import Explorer

    def values_for(c):
        v = c.value
        if hasattr(c, "options") and not isinstance(v, bool):
            opts = list(getattr(c, "_options_values", None) or c.options)
            opts = [o[1] if isinstance(o, tuple) else o for o in opts]
            return [o for o in opts if o != v] + [v]
        if isinstance(v, bool):
            return [not v, v]
        if hasattr(c, "min") and hasattr(c, "max"):
            if hasattr(c, "base"):  # FloatLogSlider: min and max are exponents
                xs = [c.base ** x for x in _np.linspace(c.min, c.max, values_per_control)]
            else:
                xs = list(_np.linspace(c.min, c.max, values_per_control))
                step = getattr(c, "step", None)
                if step:
                    xs = [c.min + round((x - c.min) / step) * step for x in xs]
                if isinstance(v, int):
                    xs = [int(round(x)) for x in xs]
            xs = [x for x in dict.fromkeys(xs) if x != v]
            return xs + [v]
        return []

    out = []
    for e in list(Explorer.instances):
        name = getattr(e.update, "__qualname__", "update").split(".<locals>")[0]
        if name in ("update", "<lambda>"):
            name = "inline: " + e.caption[:40]
        e.event_ms.clear()
        errors = []
        for cname, c in e.controls.items():
            for v in values_for(c):
                try:
                    e.set(**{cname: v})
                except Exception as exc:
                    errors.append(f"{cname}={v!r}: {type(exc).__name__}: {exc}"[:200])
        out.append({"name": name, "controls": list(e.controls), "event_ms": list(e.event_ms),
                    "errors": errors})
    print(%r + json.dumps(out))

_bench_explorers(%d)
"""


def measure_notebook(path, values_per_control=6, timeout=600):
    """Execute one notebook, drive its explorers; returns a dict of the figures."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    n_cells = len(nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell(KERNEL_CODE % (MARKER, values_per_control)))
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    result = {"notebook": path.name, "explorers": [], "error": None}
    with client.setup_kernel(stderr=subprocess.DEVNULL):  # no kernel start-up chatter
        try:
            for index, cell in enumerate(nb.cells[:n_cells]):
                client.execute_cell(cell, index)
            result["run_seconds"] = time.perf_counter() - start
            client.execute_cell(nb.cells[n_cells], n_cells)
        except Exception as exc:  # a notebook being written may fail: report, go on
            result["error"] = f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1][:200]}"
            return result
    for out in nb.cells[n_cells].outputs:
        for line in out.get("text", "").splitlines():
            if line.startswith(MARKER):
                result["explorers"] = json.loads(line[len(MARKER) :])
    prefix = path.name[:2]
    for e in result["explorers"]:
        e["goal_ms"] = RETRAINING_GOAL_MS if (prefix, e["name"]) in RETRAINING else GOAL_MS
        e["median_ms"] = statistics.median(e["event_ms"]) if e["event_ms"] else None
        e["max_ms"] = max(e["event_ms"]) if e["event_ms"] else None
    return result


def measure_direct(values_per_control=6, log=print):
    """Build every explorer of :data:`DIRECT` here and drive it as :func:`measure_notebook` does."""
    import contextlib
    import importlib
    import io

    from bplib.widgets import Explorer

    results = []
    for prefix, module, builder in DIRECT:
        Explorer.instances.clear()
        start = time.perf_counter()
        explorer = getattr(importlib.import_module(f"bplib.explorers.{module}"), builder)()
        built = time.perf_counter() - start
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(KERNEL_CODE % (MARKER, values_per_control), {})
        (e,) = json.loads(out.getvalue().split(MARKER, 1)[1])
        e["name"], e["build_seconds"] = builder, built
        e["goal_ms"] = RETRAINING_GOAL_MS if (prefix, builder) in RETRAINING else GOAL_MS
        e["median_ms"] = statistics.median(e["event_ms"]) if e["event_ms"] else None
        e["max_ms"] = max(e["event_ms"]) if e["event_ms"] else None
        results.append(e)
        log(
            f"  {prefix} {module}.{builder}: built in {built:.1f} s; {len(e['event_ms'])} events, "
            f"median {e['median_ms']:.1f} ms, max {e['max_ms']:.0f} ms (goal < {e['goal_ms']:.0f})"
            + (f"; {len(e['errors'])} errors: {e['errors'][:2]}" if e["errors"] else "")
        )
        del explorer
    return results


def discover():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def run(paths=None, log=print):
    results = []
    for path in paths if paths is not None else discover():
        r = measure_notebook(Path(path))
        results.append(r)
        if r["error"]:
            log(f"  {r['notebook']}: FAILED to run: {r['error']}")
        else:
            meds = [
                f"{e['name']} {e['median_ms']:.0f} ms"
                for e in r["explorers"]
                if e["median_ms"] is not None
            ]
            log(
                f"  {r['notebook']}: ran in {r['run_seconds']:.1f} s; "
                + (", ".join(meds) or "no explorers")
            )
    return results


def table(results):
    lines = [
        "| notebook | runs in | explorer | controls | events | median event | max event | "
        "goal | met |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r["error"]:
            lines.append(f"| {r['notebook']} | failed | {r['error']} | | | | | | |")
            continue
        if not r["explorers"]:
            lines.append(
                f"| {r['notebook']} | {r['run_seconds']:.1f} s | (no explorers) | | | | | | |"
            )
        for e in r["explorers"]:
            if e["median_ms"] is None:
                lines.append(
                    f"| {r['notebook']} | {r['run_seconds']:.1f} s | {e['name']} | "
                    f"{', '.join(e['controls'])} | 0 | | | | |"
                )
                continue
            met = "yes" if e["median_ms"] < e["goal_ms"] else "**no**"
            errors = f" ({len(e['errors'])} errors)" if e["errors"] else ""
            lines.append(
                f"| {r['notebook']} | {r['run_seconds']:.1f} s | {e['name']} | "
                f"{', '.join(e['controls'])} | {len(e['event_ms'])}{errors} | "
                f"{e['median_ms']:.1f} ms | {e['max_ms']:.0f} ms | "
                f"< {e['goal_ms']:.0f} ms | {met} |"
            )
    errors = [
        (r["notebook"], e["name"], msg)
        for r in results
        for e in r["explorers"]
        for msg in e["errors"]
    ]
    if errors:
        lines += ["", "Errors raised by explorer events:"]
        lines += [f"- {nb} {name}: {msg}" for nb, name, msg in errors[:20]]
    return lines


def goals(results):
    per = [
        (r["notebook"], e) for r in results for e in r["explorers"] if e["median_ms"] is not None
    ]
    out = []
    normal = [(nb, e) for nb, e in per if e["goal_ms"] == GOAL_MS]
    retrain = [(nb, e) for nb, e in per if e["goal_ms"] != GOAL_MS]
    for text, sel, goal in (
        ("every explorer's median event < 50 ms", normal, GOAL_MS),
        ("08 live retraining median event < 150 ms", retrain, RETRAINING_GOAL_MS),
    ):
        if not sel:
            out.append((text, None, "no such explorer found"))
            continue
        nb, worst = max(sel, key=lambda p: p[1]["median_ms"])
        out.append(
            (
                text,
                worst["median_ms"] < goal,
                f"worst {worst['median_ms']:.1f} ms ({nb} {worst['name']}), {len(sel)} explorers",
            )
        )
    failed = [r["notebook"] for r in results if r["error"]]
    if failed:
        out.append(("every notebook runs", False, "failed: " + ", ".join(failed)))
    return out


if __name__ == "__main__":
    measure_direct()

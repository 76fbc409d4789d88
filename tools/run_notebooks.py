#!/usr/bin/env python
"""Re-execute notebooks in place, deterministically, and store their outputs.

    python tools/run_notebooks.py                 # every notebook in notebooks/
    python tools/run_notebooks.py notebooks/02_cost.ipynb

Each notebook runs top to bottom in a fresh kernel (cwd = notebooks/). Live
widget views are dropped from the stored outputs, because their model ids are
random and no widget state is saved; an explorer keeps its static view (an HTML
picture with alt text, its readout and its "What to notice" caption, plus the PNG and the
text), so JupyterLab before running, GitHub, nbviewer and nbconvert show it. Every image
must carry alt text (``bplib.plotting`` gives every matplotlib figure one): an image
without it is reported. Consecutive chunks of one
stream are merged (how printed text is split depends on timing), and execution
timing metadata is dropped, so running this twice gives identical files.

The notebook metadata records ``bplib.code_sha256``, a hash of every code cell's
source at execution time: tests/test_notebooks.py fails when the code has changed
since its outputs were stored.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def code_hash(nb):
    """sha256 of the sources of the code cells, in order (what the stored outputs came from)."""
    sources = [c.source for c in nb.cells if c.cell_type == "code"]
    return hashlib.sha256(json.dumps(sources).encode("utf-8")).hexdigest()


def clean(nb):
    """Drop what varies between runs and what cannot be shown without a kernel."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.outputs:
            data = out.get("data")
            if data is not None and WIDGET_VIEW in data:
                del data[WIDGET_VIEW]
                if not data:
                    continue
            if (
                out.output_type == "stream"
                and kept
                and kept[-1].output_type == "stream"
                and kept[-1].name == out.name
            ):
                kept[-1].text += out.text  # one print may arrive in chunks: store it whole
                continue
            kept.append(out)
        cell.outputs = kept
    nb.metadata.setdefault("bplib", {})["code_sha256"] = code_hash(nb)
    return nb


def missing_alt(nb):
    """Indices of code cells showing an image without alt text (neither an HTML ``<img>``
    with ``alt`` nor ``metadata[mime]["alt"]``)."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data", {})
            images = [m for m in data if m.startswith("image/")]
            html = data.get("text/html", "")
            described = ("<img" in html and " alt=" in html) or all(
                out.get("metadata", {}).get(m, {}).get("alt") for m in images
            )
            if images and not described:
                found.append(i)
    return found


def run(path):
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    seconds = time.perf_counter() - start
    nbformat.write(clean(nb), path)
    for i in missing_alt(nb):
        print(f"{path.name}: cell {i} shows an image without alt text", file=sys.stderr)
    return path.name, seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    os.environ.setdefault("PYTHONHASHSEED", "0")
    # the kernels run on one BLAS thread, as `make test-notebooks` runs nbval: a matrix product
    # split over threads rounds its last bits differently, and a training run can turn that
    # into a different printed accuracy, which strict nbval would then fail
    os.environ.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for name, seconds in pool.map(run, paths):
            print(f"{name:40s} {seconds:6.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The stored notebooks: executed, current, error-free, honestly marked, navigable.

nbval (``make test-notebooks``) re-runs every notebook and compares its outputs with
the stored ones, but it does not compare a cell whose stored execution count is empty:
a notebook saved without outputs would pass it as a mere smoke test. These fast tests
(no kernel, except the determinism test) close that gap and check what nbval cannot:

- every code cell was executed, in order, by one top-to-bottom run (counts 1..N);
- the code has not changed since the outputs were stored (``tools/run_notebooks.py``
  records a hash of the code cells in the notebook metadata);
- no error output, no traceback or warning on stderr, no live-widget output (stored
  outputs come from ``tools/run_notebooks.py``, not from a JupyterLab save);
- nbval markers (``# NBVAL_IGNORE_OUTPUT``, ``# NBVAL_SKIP``, ... or their cell tags)
  only on cells whose outputs are purely widgets or progress bars, never on a cell
  that prints numbers or runs a check; the markers are counted;
- the navigation cells and the contents table are current (``tools/navigation.py``);
- ``tools/run_notebooks.py`` is deterministic: two runs give identical files.

Set ``BPLIB_NOTEBOOKS=/some/folder`` to run these tests on another notebook folder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = Path(os.environ.get("BPLIB_NOTEBOOKS", ROOT / "notebooks"))
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))  # what nbval runs
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _load_tool(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


navigation = _load_tool("navigation")
run_notebooks = _load_tool("run_notebooks")

# --- nbval markers ----------------------------------------------------------------
MARKER_COMMENTS = {
    "NBVAL_IGNORE_OUTPUT",
    "NBVAL_SKIP",
    "NBVAL_RAISES_EXCEPTION",
    "NBVAL_CHECK_OUTPUT",
}
MARKER_TAGS = {"nbval-ignore-output", "nbval-skip", "raises-exception", "nbval-check-output"}
HARMLESS = {"NBVAL_CHECK_OUTPUT", "nbval-check-output"}  # strict mode checks anyway
# text/plain of a widget (live views are stripped from stored outputs, their repr stays)
WIDGET_REPR = re.compile(r"^(?:[A-Z]\w*)?(?:Progress|Box|Output|Label|HTML|Play)\(", re.S)
# a tqdm-style progress line: "epoch:  40%|####      | 12/30 [00:01<00:02, ...]"
PROGRESS_LINE = re.compile(r"^.*\d+%\|.*\|")
CHECK_CODE = re.compile(r"\bassert\b|gradient_check|np\.testing|allclose|isclose")


def markers(cell):
    """The nbval markers of a code cell (nbval reads whole-line comments and tags)."""
    found = [
        line.strip().lstrip("#").strip()
        for line in cell.source.splitlines()
        if line.strip().startswith("#")
    ]
    found = [m for m in found if m in MARKER_COMMENTS]
    return found + [t for t in cell.metadata.get("tags", []) if t in MARKER_TAGS]


def is_widget_or_progress(out):
    if out.output_type in ("display_data", "execute_result"):
        keys = set(out.data) - {WIDGET_VIEW}
        if WIDGET_VIEW in out.data:
            return keys <= {"text/plain"}
        return keys == {"text/plain"} and bool(WIDGET_REPR.match(out.data["text/plain"]))
    if out.output_type == "stream":
        lines = [ln for ln in re.split(r"[\r\n]+", out.text) if ln.strip()]
        return all(PROGRESS_LINE.match(ln) for ln in lines)
    return False


def marker_problems(nb):
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        found = [m for m in markers(cell) if m not in HARMLESS]
        if not found:
            continue
        where = f"cell {i} ({', '.join(found)})"
        if CHECK_CODE.search(cell.source):
            problems.append(f"{where}: an output-ignore marker on a check cell")
        bad = [o for o in cell.outputs if not is_widget_or_progress(o)]
        if bad:
            text = (
                bad[0].get("text") or bad[0].get("data", {}).get("text/plain") or bad[0].output_type
            )
            problems.append(
                f"{where}: marker on a cell whose output is not a widget or a "
                f"progress bar: {str(text)[:80]!r}"
            )
    return problems


# --- executed, current, clean --------------------------------------------------------
def execution_problems(nb):
    """Why the stored outputs of ``nb`` are not those of one fresh top-to-bottom run."""
    problems = []
    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    for n, (i, cell) in enumerate(code, start=1):
        if not cell.source.strip():
            problems.append(f"cell {i}: empty code cell (delete it)")
        elif cell.execution_count is None:
            problems.append(f"cell {i}: not executed (no outputs stored)")
        elif cell.execution_count != n:
            problems.append(
                f"cell {i}: execution count {cell.execution_count}, expected {n} "
                "(not one top-to-bottom run)"
            )
    recorded = nb.metadata.get("bplib", {}).get("code_sha256")
    if code and recorded is None:
        problems.append(
            "no bplib.code_sha256 in the metadata: outputs not made by tools/run_notebooks.py"
        )
    elif code and recorded != run_notebooks.code_hash(nb):
        problems.append("the code changed since the outputs were stored")
    return problems


def output_problems(nb):
    problems = []
    if "widgets" in nb.metadata:
        problems.append("widget state saved in the metadata (save from tools/run_notebooks.py)")
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {i}: error output {out.ename}: {out.evalue}")
            elif (
                out.output_type == "stream"
                and out.name == "stderr"
                and re.search(r"Traceback|Error|Warning", out.text)
            ):
                problems.append(f"cell {i}: stderr {out.text.strip()[:120]!r}")
            elif WIDGET_VIEW in out.get("data", {}):
                problems.append(
                    f"cell {i}: a live widget view is stored (GitHub shows an "
                    "error for it); run tools/run_notebooks.py"
                )
    return problems


def fix(path):
    return (
        f"{path.name}: rerun it with `.venv/bin/python tools/run_notebooks.py "
        f"notebooks/{path.name}` (or `make notebooks`)"
    )


def test_there_are_notebooks():
    assert ALL, f"no notebooks in {NOTEBOOKS}"
    odd = [p.name for p in ALL if not re.match(r"\d\d_[a-z0-9_]+\.ipynb$", p.name)]
    assert not odd, f"notebooks must be named NN_short_title.ipynb: {odd}"


# A LaTeX command typed into a plain (not raw) Python string loses its backslash: "\\theta"
# becomes a tab and "heta", "\\nabla" a new line and "abla", "\\rVert" a carriage return,
# "\\frac" a form feed, "\\beta" a backspace. The reader then sees broken maths.
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]|^(?:abla|heta|eq|Vert)\b", re.MULTILINE)
EXERCISE_TEXTS = sorted((ROOT / "bplib" / "exercises").glob("nb*.py"))


@pytest.mark.parametrize("path", ALL + EXERCISE_TEXTS, ids=[p.name for p in ALL + EXERCISE_TEXTS])
def test_no_latex_command_lost_its_backslash(path):
    if path.suffix == ".ipynb":
        texts = [
            c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"
        ]
    else:
        texts = [path.read_text(encoding="utf-8")]
    bad = [m.group() for t in texts for m in CONTROL.finditer(t)]
    assert not bad, (
        f"{path.name}: control characters or a LaTeX command without its backslash {bad!r}: "
        'write the text as a raw string (r"...")'
    )


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_outputs_are_stored_and_current(path):
    nb = nbformat.read(path, as_version=4)
    problems = execution_problems(nb) + output_problems(nb)
    assert not problems, fix(path) + "\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", ALL, ids=[p.stem for p in ALL])
def test_output_ignore_markers_only_on_widget_cells(path):
    problems = marker_problems(nbformat.read(path, as_version=4))
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


def test_no_output_is_exempt_from_strict_nbval():
    """Strict nbval compares every stored output: no notebook may skip or ignore one.

    The count per notebook is also written to artifacts/nbval_markers.json.
    """
    counts = {}
    for path in ALL:
        nb = nbformat.read(path, as_version=4)
        found = [
            m for c in nb.cells if c.cell_type == "code" for m in markers(c) if m not in HARMLESS
        ]
        counts[path.name] = {m: found.count(m) for m in sorted(set(found))}
    total = sum(sum(c.values()) for c in counts.values())
    out = ROOT / "artifacts"
    out.mkdir(exist_ok=True)
    (out / "nbval_markers.json").write_text(
        json.dumps({"total": total, "notebooks": counts}, indent=1) + "\n"
    )
    assert total == 0, f"nbval markers that exempt outputs from strict comparison: {counts}"


def test_markers_are_found():
    """The marker scan sees comment markers and tags (else the test above could not fail)."""
    cell = nbformat.v4.new_code_cell(
        "# NBVAL_IGNORE_OUTPUT\nprint(1)", metadata={"tags": ["nbval-skip", "other"]}
    )
    assert markers(cell) == ["NBVAL_IGNORE_OUTPUT", "nbval-skip"]
    assert markers(nbformat.v4.new_code_cell("x = 1  # NBVAL_SKIP is not a marker here")) == []


def test_navigation_and_contents_are_current():
    stale = navigation.stale(NOTEBOOKS)
    assert not stale, f"stale navigation cells or contents table in {stale}: run `make nav`"


ROW = re.compile(r"^\| (\d\d) \| \[(.*?)\]\((.*?)\) \| (.*) \|$", re.M)


def readme_rows(text):
    """{number: (link target, description)} of a notebook table in markdown text."""
    return {m[1]: (m[3], m[4]) for m in ROW.finditer(text)}


def test_readme_lists_every_notebook_as_the_index_describes_it():
    """README's table: one row per notebook, linking it, with 00's contents description
    and a link to its section of docs/notebooks.md (the detail for teachers)."""
    if NOTEBOOKS != ROOT / "notebooks":
        pytest.skip("README describes the repository's notebooks")
    rows = readme_rows((ROOT / "README.md").read_text())
    index = nbformat.read(NOTEBOOKS / "00_index.ipynb", as_version=4)
    contents = next(c for c in index.cells if "contents" in c.metadata.get("tags", []))
    short = {n: d for n, (_, d) in readme_rows(contents.source).items()}
    detail = (ROOT / "docs" / "notebooks.md").read_text()
    assert sorted(rows) == sorted(p.name[:2] for p in ALL)
    for number, (target, description) in rows.items():
        assert (ROOT / target).name == next(p.name for p in ALL if p.name[:2] == number)
        assert description.endswith(f"[More](docs/notebooks.md#notebook-{number})")
        assert f"\n## Notebook {number}\n" in detail, number
        if number in short:
            assert description.startswith(short[number]), (
                f"README row {number} should open with 00's description: {short[number]}"
            )


# --- the checks themselves catch what they should ---------------------------------
def _sample(explorer=False):
    """The smallest stored notebook with outputs (``explorer``: preferably one showing an
    explorer, so that the stripping of live widgets is exercised too)."""
    found = []
    for path in sorted(ALL, key=lambda p: p.stat().st_size):
        nb = nbformat.read(path, as_version=4)
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        if outputs and not explorer:
            return path, nb
        if outputs:
            shows = any(
                o.get("data", {}).get("text/plain", "").startswith("Explorer(") for o in outputs
            )
            found.append((not shows, path, nb))
    if found:
        return min(found, key=lambda f: f[0])[1:]
    pytest.fail(f"no notebook in {NOTEBOOKS} has stored outputs")


def test_a_notebook_stored_without_outputs_fails():
    path, nb = _sample()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    assert any("not executed" in p for p in execution_problems(nb))


def test_outputs_older_than_the_code_fail():
    path, nb = _sample()
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.source += "\nprint('new line')"
    assert "the code changed since the outputs were stored" in execution_problems(nb)
    path, nb = _sample()
    cells = [c for c in nb.cells if c.cell_type == "code"]
    cells[0].execution_count = len(cells) + 1  # re-ran one cell by hand
    assert any("not one top-to-bottom run" in p for p in execution_problems(nb))


def test_a_marker_on_a_printing_or_check_cell_fails():
    path, nb = _sample()
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "# NBVAL_IGNORE_OUTPUT\nassert err < 1e-7\nprint('relative error', err)",
            outputs=[
                nbformat.v4.new_output("stream", name="stdout", text="relative error 3e-10\n")
            ],
        )
    )
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "# NBVAL_IGNORE_OUTPUT\nprogress",
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={"text/plain": "FloatProgress(value=1.0)", WIDGET_VIEW: {}}
                )
            ],
        )
    )
    problems = marker_problems(nb)
    assert len(problems) == 2 and all(f"cell {len(nb.cells) - 2}" in p for p in problems)


def test_navigation_tool_inserts_cells_and_keeps_outputs(tmp_path):
    for path in ALL:
        nb = nbformat.read(path, as_version=4)
        nb.cells = [c for c in nb.cells if not navigation.is_generated(c)]
        nbformat.write(nb, tmp_path / path.name)
    before = {p.name: nbformat.read(p, as_version=4) for p in sorted(tmp_path.glob("*.ipynb"))}
    assert navigation.main(["--dir", str(tmp_path), "--check"]) == 1
    assert navigation.main(["--dir", str(tmp_path)]) == 0
    assert navigation.main(["--dir", str(tmp_path), "--check"]) == 0
    for name, old in before.items():
        new = nbformat.read(tmp_path / name, as_version=4)
        assert new.cells[0].metadata["tags"] == ["nav-top"]
        assert new.cells[-1].metadata["tags"] == ["nav-bottom"]
        assert "[Contents](00_index.ipynb)" in new.cells[0].source
        assert [c for c in new.cells if c.cell_type == "code"] == [
            c for c in old.cells if c.cell_type == "code"
        ]
        assert new.metadata == old.metadata


@pytest.mark.slow
def test_run_notebooks_is_deterministic(tmp_path):
    """Regenerating a stored notebook with tools/run_notebooks.py (on a copy) gives the stored
    file again (up to sanitize.cfg): the stored file is what a second run gives, so two runs
    give identical files, with one run here instead of two."""
    path, _ = _sample(explorer=True)
    folder = tmp_path / "run"
    shutil.copytree(NOTEBOOKS, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "run_notebooks.py"), str(folder / path.name)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    runs = [path.read_bytes(), (folder / path.name).read_bytes()]
    if runs[0] != runs[1]:
        sanitized = [sanitize(r.decode("utf-8")) for r in runs]
        assert sanitized[0] == sanitized[1], (
            f"{path.name}: regenerating it changes the stored file (outputs that differ from "
            "run to run, or a file not written by tools/run_notebooks.py: run `make notebooks`)"
        )
    assert not execution_problems(nbformat.reads(runs[1].decode("utf-8"), as_version=4))


def sanitize(text):
    """Apply tests/sanitize.cfg (nbval's format: [section] / regex: / replace: lines)."""
    lines = (ROOT / "tests" / "sanitize.cfg").read_text().splitlines()
    regex = None
    for line in lines:
        if line.startswith("regex:"):
            regex = line[len("regex:") :].strip()
        elif line.startswith("replace:") and regex is not None:
            text = re.sub(regex, line[len("replace:") :].strip(), text)
            regex = None
    return text

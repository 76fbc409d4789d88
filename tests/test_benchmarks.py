"""A short run of the benchmarks works and writes its tables.

These tests check what the run produces, never a speed: timings belong in
benchmarks/RESULTS.md (`make bench`), not in assertions.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "benchmarks" / "run.py"
HAS_TORCH = importlib.util.find_spec("torch") is not None
KEPT = """<!-- bench:series -->
## 4. The series: strict nbval run of every notebook

an earlier run's table, which a run of other sections must keep
<!-- /bench:series -->
"""

pytestmark = pytest.mark.slow


def run_quick(tmp_path, env=None):
    out = tmp_path / "RESULTS.md"
    out.write_text(KEPT)
    proc = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    return proc.stdout, out.read_text()


def check_tables(text):
    assert text.startswith("# Benchmark results")
    assert re.search(r"Run \d{4}-\d\d-\d\d \d\d:\d\d", text), "each section is dated"
    assert re.search(r"numpy BLAS: \S+", text), "the BLAS is reported"
    step = text[text.index("## 1. Training-step throughput") : text.index("<!-- /bench:step -->")]
    assert "| network | dtype | batch | bplib / step | loop | ceiling | torch |" in step
    rows = [l for l in step.splitlines() if l.startswith("| [64, 32, 10] |")]
    assert len(rows) == 2 and {r.split("|")[2].strip() for r in rows} == {"float64", "float32"}
    for r in rows:
        assert re.search(r"\| \d+(\.\d+)?x \| \d+% \|$", r), r  # vs loop, % of ceiling
    assert "give the same weights after one step" in step
    assert "Goals:" in step
    e2e = text[text.index("## 2. End-to-end training") : text.index("<!-- /bench:e2e -->")]
    assert "| MNIST digits 500/200" in e2e and "| notebook 08 moons" in e2e
    assert KEPT in text, "sections that were not run are kept"
    return step, e2e


@pytest.mark.skipif(
    not HAS_TORCH,
    reason="PyTorch is not installed (`make bench` installs it); "
    "test_quick_run_without_torch covers this case",
)
def test_quick_run_with_torch(tmp_path):
    stdout, text = run_quick(tmp_path)
    step, e2e = check_tables(text)
    assert "PyTorch 2" in step and "set_num_threads" in step
    for row in [l for l in step.splitlines() if l.startswith("| [64, 32, 10] |")]:
        assert re.search(r"\| \d+(\.\d+)?x \| \d+(\.\d+)?x \| \d+% \|$", row), row
    assert "skipped" not in e2e


def test_quick_run_without_torch(tmp_path):
    """With PyTorch absent (hidden here), its columns are skipped with a message."""
    hidden = tmp_path / "hide" / "torch"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text('raise ImportError("hidden by test_benchmarks")\n')
    stdout, text = run_quick(tmp_path, env={"PYTHONPATH": str(hidden.parent)})
    assert "PyTorch is not installed" in stdout
    step, e2e = check_tables(text)
    assert "PyTorch is not installed" in step and "| skipped |" in step
    assert "| skipped |" in e2e
    assert "NOT MEASURED: bplib >= 1.0x PyTorch" in step

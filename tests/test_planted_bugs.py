"""Plant each classic backprop bug in a scratch copy of bplib and watch the hand-worked test fail.

A test that cannot fail proves nothing. Each case below copies ``bplib/`` to a
temporary folder, makes one small edit to its source (the edit is asserted to
apply, so a refactor of bplib cannot silently turn a case into a no-op), runs
``tests/test_handworked.py`` against the copy in a fresh interpreter, and
checks that exactly the expected hand-worked tests fail.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORWARD, BACKPROP, SGD = (
    "test_forward_by_hand",
    "test_backprop_by_hand",
    "test_one_sgd_step_by_hand",
)

# name: (file, original text, planted text, hand-worked tests that must fail)
BUGS = {
    "BP2 with sigma'(z^{l+1})": (
        "backward.py",
        "W[l + 1], z[l], sigmas[l])",
        "W[l + 1], z[l + 1], sigmas[l])",
        {BACKPROP, SGD},
    ),
    "BP2 with the transpose wrong": (
        "backward.py",
        "(delta_next @ W_next)",
        "(delta_next @ W_next.T)",
        {BACKPROP, SGD},
    ),
    "BP3 without 1/n": (
        "backward.py",
        "return delta.mean(axis=0)",
        "return delta.sum(axis=0)",
        {BACKPROP, SGD},
    ),
    "BP4 without 1/n": (
        "backward.py",
        "return delta.T @ a_prev / n",
        "return delta.T @ a_prev",
        {BACKPROP, SGD},
    ),
    "the forward pass without the transpose": (
        "forward.py",
        "return a_prev @ W.T + b",
        "return a_prev @ W + b",
        {FORWARD, BACKPROP, SGD},
    ),
    "BP1 without sigma'(z^L)": (
        "costs.py",
        'return self.grad_a(a_L, y) * sigma.prime(z_L)\n\n    def __repr__(self):\n        return f"Quadratic',
        'return self.grad_a(a_L, y)\n\n    def __repr__(self):\n        return f"Quadratic',
        {BACKPROP, SGD},
    ),
    "the bias update adds the gradient": (
        "training.py",
        "b_l -= eta * grad_b_l",
        "b_l += eta * grad_b_l",
        {SGD},
    ),
    "the update adds the gradient": (
        "training.py",
        "W_l -= eta * grad_W_l",
        "W_l += eta * grad_W_l",
        {SGD},
    ),
}


def run_handworked(bplib_dir, tmp_path):
    """Run the hand-worked tests against the bplib in ``bplib_dir``; return the failed names."""
    shutil.copy(ROOT / "tests" / "test_handworked.py", tmp_path / "test_handworked.py")
    env = {**os.environ, "PYTHONPATH": str(bplib_dir.parent)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "--rootdir",
            str(tmp_path),
            "-rf",
            str(tmp_path / "test_handworked.py"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = proc.stdout + proc.stderr
    assert "error" not in out.splitlines()[-1].lower(), out  # collection errors are not failures
    which = subprocess.run(
        [sys.executable, "-c", "import bplib; print(bplib.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    assert str(bplib_dir) in which, f"the scratch copy was not the one imported: {which}"
    return {
        line.split("::")[1].split()[0] for line in out.splitlines() if line.startswith("FAILED")
    }


def scratch_copy(tmp_path):
    dest = tmp_path / "scratch" / "bplib"
    shutil.copytree(ROOT / "bplib", dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


@pytest.mark.slow
def test_unchanged_copy_passes(tmp_path):
    assert run_handworked(scratch_copy(tmp_path), tmp_path) == set()


@pytest.mark.slow
@pytest.mark.parametrize("bug", list(BUGS))
def test_planted_bug_is_caught(bug, tmp_path):
    filename, original, planted, expected = BUGS[bug]
    bplib_dir = scratch_copy(tmp_path)
    path = bplib_dir / filename
    source = path.read_text()
    assert source.count(original) == 1, f"{original!r} no longer appears once in {filename}"
    path.write_text(source.replace(original, planted))
    failed = run_handworked(bplib_dir, tmp_path)
    print(f"\n{bug}: caught by {sorted(failed)}")
    assert failed == expected

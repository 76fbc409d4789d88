"""Plant each classic backprop bug in a scratch copy of bplib and watch the hand-worked test fail.

A test that cannot fail proves nothing. Each case below copies ``bplib/`` to a
temporary folder, makes one small edit to its source (the edit is asserted to
apply, so a refactor of bplib cannot silently turn a case into a no-op), runs
``tests/test_handworked.py`` against the copy (one fresh interpreter runs every copy in
turn, see RUNNER), and checks that exactly the expected hand-worked tests fail.
"""

import json
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


# One fresh interpreter runs the hand-worked tests against every scratch copy in turn: before
# each run it forgets every bplib module (and the test module), puts that copy first on the
# path and checks that the copy is the bplib imported. One interpreter instead of one per bug:
# starting Python, pytest and numpy cost about 9 s a bug on a loaded machine.
RUNNER = """
import json, sys
import pytest

class Failed:
    def __init__(self):
        self.names = set()

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.names.add(report.nodeid.split("::")[1])

results = {}
for name, parent, folder in json.loads(sys.argv[1]):
    for module in [m for m in sys.modules if m.split(".")[0] in ("bplib", "test_handworked")]:
        del sys.modules[module]
    sys.path.insert(0, parent)
    import bplib
    failed = Failed()
    code = pytest.main(
        ["-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:randomly",
         "--rootdir", folder, folder + "/test_handworked.py"],
        plugins=[failed],
    )
    sys.path.remove(parent)
    results[name] = dict(failed=sorted(failed.names), code=int(code), imported=bplib.__file__)
print("RESULTS " + json.dumps(results))
"""


def scratch_copy(folder, bug=None):
    """A copy of bplib in ``folder``/bplib with ``bug`` (a key of BUGS) planted, if given."""
    dest = folder / "bplib"
    shutil.copytree(ROOT / "bplib", dest, ignore=shutil.ignore_patterns("__pycache__"))
    if bug is not None:
        filename, original, planted, _ = BUGS[bug]
        path = dest / filename
        source = path.read_text()
        assert source.count(original) == 1, f"{original!r} no longer appears once in {filename}"
        path.write_text(source.replace(original, planted))
    return dest


def caught(tmp_path_factory):
    """For the unchanged copy (key None) and each planted bug: the hand-worked tests that fail.

    One test calls this (not a module fixture shared by several tests): under ``pytest -n 2``
    a second worker would build and run every copy again."""
    runs = []
    for k, bug in enumerate([None, *BUGS]):
        folder = tmp_path_factory.mktemp(f"bug{k}")
        shutil.copy(ROOT / "tests" / "test_handworked.py", folder / "test_handworked.py")
        bplib_dir = scratch_copy(folder / "scratch", bug)
        runs.append((bug or "", str(bplib_dir.parent), str(folder)))
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, json.dumps(runs)],
        cwd=tmp_path_factory.getbasetemp(),
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    out = proc.stdout + proc.stderr
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULTS ")), None)
    assert line is not None, out
    results = json.loads(line[len("RESULTS ") :])
    for (name, parent, _), result in zip(runs, results.values()):
        assert result["imported"].startswith(parent), f"{name}: imported {result['imported']}"
        assert result["code"] in (0, 1), (
            f"{name or 'unchanged'}: pytest exit {result['code']}\n{out}"
        )
    return {name or None: set(result["failed"]) for name, result in results.items()}


@pytest.mark.slow
def test_the_unchanged_copy_passes_and_each_planted_bug_fails_its_hand_worked_tests(
    tmp_path_factory,
):
    found = caught(tmp_path_factory)
    assert found[None] == set(), f"the unchanged copy fails {sorted(found[None])}"
    missed = {}
    for bug, (*_, expected) in BUGS.items():
        print(f"{bug}: caught by {sorted(found[bug])}")
        if found[bug] != expected:
            missed[bug] = f"failed {sorted(found[bug])}, expected {sorted(expected)}"
    assert not missed, "planted bugs not caught as expected:\n" + "\n".join(
        f"  {bug}: {why}" for bug, why in missed.items()
    )

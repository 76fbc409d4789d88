"""No reference solution is installed; the checker compares with stored answers instead.

The reference solutions and the bugs' functions live in exercises/reference/ (not a
package of the wheel); bplib/exercises/answers.json holds their results on every test
case. Here: the file is up to date, ``check`` never runs a reference function (so a
student's install, which has none, gets the same feedback), and the sources under
bplib/ hold no solution. tests/test_packaging.py checks the built wheel itself.
"""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import exercises.reference as reference
from bplib.exercises import EXERCISES, check
from bplib.exercises import nb10_your_own_backprop as nb10
from bplib.exercises.checker import ANSWERS
from exercises.reference import nb10_your_own_backprop as ref10

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location(
        "exercise_answers", ROOT / "tools" / "exercise_answers.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def public_texts(root=ROOT):
    """The course library's sources (bplib/ outside bplib/exercises/): public by design."""
    return [
        p.read_text(encoding="utf-8")
        for p in (root / "bplib").rglob("*.py")
        if "exercises" not in p.relative_to(root / "bplib").parts
    ]


def test_stored_answers_are_up_to_date():
    assert ANSWERS.read_text(encoding="utf-8") == _tool().answers_text(), (
        "bplib/exercises/answers.json is out of date: run tools/exercise_answers.py"
    )


def test_every_exercise_has_stored_answers_for_every_case_and_bug():
    import json

    stored = json.loads(ANSWERS.read_text(encoding="utf-8"))["answers"]
    assert list(stored) == list(EXERCISES)
    for name, ex in EXERCISES.items():
        n = len(ex.cases())
        assert len(stored[name]["expected"]) == n
        with_fn = {b.key for b in ex.bugs if b.fn is not None}
        assert set(stored[name].get("bugs", {})) == with_fn, name
        assert all(len(v) == n for v in stored[name].get("bugs", {}).values())


def _zoo_functions(ex):
    return [ex.zoo(c) for c in ex.zoo_combos() if len(c) == 1] if ex.zoo else []


@pytest.fixture
def poisoned(monkeypatch):
    """Every attached reference function replaced by one that fails the test if called."""

    def boom(*args, **kwargs):
        raise AssertionError("check ran a reference function; it must use answers.json")

    originals = {}
    for name, ex in EXERCISES.items():
        originals[name] = (
            ex.solution,
            [(b.key, b.fn) for b in ex.bugs if b.fn is not None],
            _zoo_functions(ex),
        )
        monkeypatch.setattr(ex, "solution", boom)
        monkeypatch.setattr(ex, "zoo", lambda combo: boom)
        for bug in ex.bugs:
            if bug.fn is not None:
                monkeypatch.setattr(bug, "fn", boom)
    return originals


def test_check_never_runs_a_reference_function(poisoned, monkeypatch):
    """With every reference function poisoned, the right answer passes and each bug is
    named as before: what a student's install (no references at all) sees."""
    for name, (solution, bugs, zoo) in poisoned.items():
        assert check(name, solution).passed, name
        for key, fn in bugs:
            fb = check(name, fn)
            assert fb.status == "wrong" and fb.bug is not None, (name, key, fb)
        for fn in zoo:
            assert not check(name, fn).passed, name


def test_the_package_sources_hold_no_solution():
    texts = {
        p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8")
        for p in (ROOT / "bplib").rglob("*")
        if p.is_file() and p.suffix in {".py", ".json", ".md", ".txt"}
    }
    assert reference.leaks(texts, public_texts()) == []


def test_a_planted_solution_is_found():
    """The scan is not blind: a solution, a bug lambda or the markers are each caught."""
    import inspect

    ex = EXERCISES["output_error"]
    source = inspect.getsource(ex.solution)
    body = source.split("### BEGIN SOLUTION", 1)[1].split("    ### END SOLUTION", 1)[0]
    planted = {
        "a.py": "x = 1\n" + source,
        "b.py": "def f(a_L, y, z_L):\n" + body,
        "c.py": inspect.getsource(ref10.backward_variant),
    }
    found = {file for file, _ in reference.leaks(planted, public_texts())}
    assert found == {"a.py", "b.py", "c.py"}


def test_the_notebooks_backward_variant_is_the_zoos():
    """Notebook 10 plants bugs with the package's backward_variant (built from bplib's
    public BP1-BP4); it gives the same gradients as the checker's zoo."""
    for k in range(len(nb10.NETWORKS)):
        W, b, sigmas, cost, X, Y = nb10.network_case(k)
        z, a = nb10.bplib_forward(W, b, sigmas, X)
        for bug in nb10.DEMO_BUGS:
            got = nb10.backward_variant([bug])(W, sigmas, cost, z, a, Y)
            want = ref10.backward_variant([bug])(W, sigmas, cost, z, a, Y)
            for g, w in zip(got, want):
                assert g[0] is None and w[0] is None
                for gl, wl in zip(g[1:], w[1:]):
                    np.testing.assert_allclose(gl, wl, rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match="plants one of"):
        nb10.backward_variant(["next_z"])

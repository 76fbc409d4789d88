"""The watch on a reader's calls (bplib/exercises/watch.py), and the exercises that use it
to refuse an answer that calls bplib's own function for the thing asked (1.1, 2.1, 2.2)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import bplib
from bplib.exercises import check
from bplib.exercises import watch as w


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


def _marker(frame, event, arg):  # a profile function someone else had set
    return None


def test_the_previous_profile_function_is_restored_even_when_the_function_raises():
    def boom():
        bplib.sigmoid.fn(np.zeros(2))
        raise RuntimeError("the reader's bug")

    old = sys.getprofile()
    sys.setprofile(_marker)
    try:
        with pytest.raises(RuntimeError, match="the reader's bug"):
            w.Watch(boom, w.codes(bplib.feedforward))()
        assert sys.getprofile() is _marker
        assert w.Watch(lambda: 3, ())() == 3
        assert sys.getprofile() is _marker
    finally:
        sys.setprofile(old)


def test_an_alias_or_a_wrapper_of_a_forbidden_function_is_caught_by_its_real_name():
    ff = bplib.feedforward  # an alias

    def wrapper(W, b, X):
        return ff(W, b, [None] + [bplib.sigmoid] * (len(W) - 1), X)

    W, b = [None, np.ones((2, 3))], [None, np.zeros(2)]
    watched = w.Watch(lambda W, b, X: wrapper(W, b, X), w.library_codes())
    watched(W, b, np.ones((4, 3)))
    assert watched.used == ["bplib's `feedforward`"]  # the outermost call only, named once
    assert watched.library == ["`feedforward`"] and not watched.torch
    net = bplib.Network([3, 2], seed=0)
    method = w.Watch(lambda X: net.feedforward(X), w.library_codes())
    method(np.ones((4, 3)))
    assert method.used == ["bplib's `Network.feedforward`"]


def test_the_checkers_own_calls_are_not_watched():
    X = np.ones((4, 3))
    W, b = [None, np.ones((2, 3))], [None, np.zeros(2)]
    sigmas = [None, bplib.sigmoid]

    def own(X):  # the reader's own numpy: no library call
        return bplib.sigmoid.fn(X @ W[1].T + b[1])

    watched = w.Watch(own, w.library_codes())
    want = bplib.feedforward(W, b, sigmas, X)  # the checker's reference, before the call
    got = watched(X)
    bplib.feedforward(W, b, sigmas, X)  # and after it
    assert watched.used == [] and np.allclose(got, want)


def test_on_call_sees_the_other_calls_and_torch_is_named():
    seen = []

    def counting(frame):
        seen.append(frame.f_code.co_name)

    def helper():
        return 1

    w.Watch(lambda: helper(), (), on_call=counting)()
    assert "helper" in seen
    fake = type(sys)("torch")  # a stand-in module named torch
    exec("def grad(x):\n    return x\n", fake.__dict__)
    watched = w.Watch(lambda: fake.grad(1), ())
    watched()
    assert watched.used == ["PyTorch's `grad`"] and watched.torch


# --- student-style answers that call bplib's own function ------------------------------------


def _feedforward_rows_with_bplib(W, b, X):
    """Exercise 1.1 answered with bplib's forward pass, under another name."""
    from bplib import feedforward_layers as layers  # noqa: PLC0415

    _, a = layers(W, b, [None] + [bplib.sigmoid] * (len(W) - 1), X)
    return a


def _batch_cost_with_bplib(A, Y):
    return np.mean(bplib.quadratic.fn(A, Y.reshape(A.shape)))  # one C_i per row, averaged


def _cost_gradient_with_bplib(A, Y):
    grad = bplib.quadratic.grad_a  # an alias
    return grad(A, Y) / len(A)


@pytest.mark.parametrize(
    ("name", "fn", "called"),
    [
        ("feedforward_rows", _feedforward_rows_with_bplib, "`feedforward_layers`"),
        ("batch_cost", _batch_cost_with_bplib, "`Quadratic.fn`"),
        ("cost_gradient", _cost_gradient_with_bplib, "`Quadratic.grad_a`"),
    ],
)
def test_an_answer_that_calls_bplibs_own_function_is_refused(name, fn, called):
    fb = check(name, fn)
    assert fb.status == "wrong" and fb.bug == "library", repr(fb)
    assert f"Not your own: it calls bplib's {called}" in fb.message
    assert "write it yourself" in fb.message and "Traceback" not in repr(fb)
    assert "autograd" not in fb.message  # a forward pass or a cost: PyTorch was not called


def test_a_watched_exercise_still_passes_an_own_answer():
    def feedforward_rows(W, b, X):
        a = [X]
        for l in range(1, len(W)):
            a.append(bplib.sigmoid.fn(a[-1] @ W[l].T + b[l]))
        return a

    def batch_cost(A, Y):
        return 0.5 * np.sum((A - Y.reshape(A.shape)) ** 2) / len(A)

    def cost_gradient(A, Y):
        return (A - Y) / len(A)

    for fn in (feedforward_rows, batch_cost, cost_gradient):
        fb = check(fn.__name__, fn)
        assert fb.status == "correct", repr(fb)

"""Notebooks 08 and 09 as a newcomer reads them: 08 writes a batch in capitals as 05-07 do,
its explorers say what to try, and 09 keeps one cost convention (bplib's, with the 1/2)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from bplib.exercises.nb09_gradient_checking import ZOO_BUGS, backprop_with

ROOT = Path(__file__).resolve().parents[1]


def _cells(name):
    return nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells


def test_08_writes_batch_quantities_in_capitals_like_05_to_07():
    cells = _cells("08_training")
    loop = next(c.source for c in cells if c.cell_type == "markdown" and r"\tag{1}" in c.source)
    for capital in (
        r"Z^l = A^{l-1} (W^l)^T + b^l",
        r"A^l = \sigma(Z^l)",
        r"\Delta^L = (A^L - Y) \odot \sigma'(Z^L)",
        r"\Delta^l = (\Delta^{l+1} W^{l+1}) \odot \sigma'(Z^l)",
        r"\frac1m (\Delta^l)^T A^{l-1}",
    ):
        assert capital in loop, capital
    # no lowercase batch symbol in the displayed equations (one example's z^l_i is lowercase)
    for display in re.findall(r"\$\$(.*?)\$\$", loop, re.S):
        assert not re.search(r"(?<![\\\w])(z|a)\^\{?l|\\delta\^\{?[lL](?!\S*_i)", display), display


def test_08_each_explorer_has_try_this_bullets():
    cells = _cells("08_training")
    calls = [i for i, c in enumerate(cells) if c.cell_type == "code" and "_explorer()" in c.source]
    assert len(calls) == 2
    for i in calls:
        text = cells[i - 1].source
        assert "**Try this:**" in text, text
        bullets = text.split("**Try this:**", 1)[1].count("\n- ")
        assert 2 <= bullets <= 3 and "?" in text.split("**Try this:**", 1)[1], text


def test_09_uses_bplibs_cost_throughout():
    code = "\n".join(c.source for c in _cells("09_gradient_checking") if c.cell_type == "code")
    assert "half=False" not in code and "Quadratic(" not in code
    assert "factor 2 added" in ZOO_BUGS and "factor 2 dropped" not in ZOO_BUGS
    # the zoo's correct backprop is the gradient of bplib's cost: net.gradients itself
    import numpy as np

    import bplib

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(4, 3)), rng.uniform(size=(4, 3))
    net = bplib.Network([3, 3, 3], seed=0)
    ours, lib = backprop_with(None, net, X, Y), net.gradients(X, Y)
    for mine, theirs in zip(ours, lib):
        assert all(np.allclose(m, t, rtol=1e-12) for m, t in zip(mine[1:], theirs[1:]))


def test_09_eps_explorer_leaves_the_numbers_to_the_slider():
    """The caption says what to look for; where each precision is best, where the float32 dots
    scatter or lie flat, the reader finds with the slider (the Try-this bullets ask for them)."""
    from bplib.explorers.epsilon import eps_explorer

    caption = eps_explorer().caption
    assert "staircase" in caption and "sooner in float32" in caption
    numbers = re.findall(r"\d+(?:\.\d+)?e-\d+|≈", caption)
    assert numbers == [], numbers
    cells = _cells("09_gradient_checking")
    at = next(
        i for i, c in enumerate(cells) if "eps_explorer()" in c.source and "import" not in c.source
    )
    text = cells[at - 1].source.split("**Try this:**", 1)[1]
    assert 2 <= text.count("\n- ") <= 3 and "?" in text

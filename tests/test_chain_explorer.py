"""Notebook 04's chain explorer is drawn for speed (per-weight backgrounds, the h label's pixels
kept, numbers drawn with Pillow, an RGB PNG without row filters); its picture must stay
matplotlib's own."""

import io

import numpy as np
import pytest
from PIL import Image

from bplib.explorers import chain

SETTINGS = [
    {"which": "w(L)"},
    {"which": "w(L-1)", "w_prev": -2.35, "x": 0.4, "h": 0.07},
    {"which": "w(L)", "w_L": 4.1, "x": -1.9},  # back: the background of w(L) is reused
    {"w_prev": 0.3},  # h unchanged: the label's kept pixels are pasted back
]


def _grey(png):
    return np.asarray(Image.open(io.BytesIO(bytes(png))).convert("L")).astype(float)


def _matplotlib_alone(e):
    """The explorer's current picture blitted by matplotlib alone, as :class:`Explorer` draws:
    its background, then every moving artist, the numbers too, with ``draw_artist``."""
    canvas = e.fig.canvas
    canvas.restore_region(e._backgrounds[e.which])
    for a in e._animated(e.which):
        a.axes.draw_artist(a)
    picture = Image.fromarray(np.asarray(canvas.buffer_rgba())).convert("L")
    return np.asarray(picture).astype(float)


@pytest.mark.parametrize("step", range(len(SETTINGS)))
def test_the_picture_is_matplotlibs_with_its_numbers_where_matplotlib_draws_them(step):
    """Away from the numbers the picture is matplotlib's to the pixel (the PNG loses nothing);
    each number drawn by Pillow has as much ink (within 5%), centred within 0.75 px of where
    matplotlib draws it."""
    e = chain.chain_explorer()
    for settings in SETTINGS[: step + 1]:
        e.set(**settings)
    got = _grey(e.image.value)
    ref = _matplotlib_alone(e)
    assert got.shape == ref.shape
    renderer = e.fig.canvas.get_renderer()
    drawn = [n for n in e._numbers.values() if any(n.text is a for a in e._animated(e.which))]
    assert len(drawn) == 2 + len(chain.PATHS[e.which])  # product, central difference, the path
    outside = np.ones(got.shape, bool)
    for number in drawn:
        number.place(renderer)
        text = number.text.get_text()
        _, top, _, bottom = number.font.getbbox("0", anchor="ls")
        left = number.x - number.cell * len(text)
        win = (
            slice(int(number.baseline + top) - 4, int(number.baseline + bottom) + 5),
            slice(int(left) - 4, int(number.x) + 5),
        )
        outside[win] = False
        ys, xs = np.mgrid[win]
        (m1, cx1, cy1), (m2, cx2, cy2) = [
            (ink.sum(), (ink * xs).sum() / ink.sum(), (ink * ys).sum() / ink.sum())
            for ink in (255 - im[win] for im in (got, ref))
        ]
        where = (text, cx1 - cx2, cy1 - cy2, m1 / m2)
        assert abs(cx1 - cx2) < 0.75 and abs(cy1 - cy2) < 0.75 and abs(m1 / m2 - 1) < 0.05, where
    np.testing.assert_array_equal(got[outside], ref[outside])


# ----------------------------------------------------------------------------
# Notebook 04 around the explorer and its predict question (cheap: stored cells, no kernel)
# ----------------------------------------------------------------------------
def _cells04():
    from notebook_cells import cells

    return cells("04_chain_rule")


def test_the_caption_and_the_folded_answers_name_the_same_tips():
    """The caption answers the first tip itself (the gap falls like h^2) and says the answers to
    the other three are folded; the fold is titled and holds all three, the toggle's rows too."""
    e = chain.chain_explorer()
    assert "h²" in e.caption and "answers to these three questions are folded" in e.caption
    cells = {c.id: c for c in _cells04()}
    tips = cells["5e750cc5"].source
    assert "the caption under the picture answers the first" in tips and tips.count("\n- ") == 4
    fold = cells["explore-answer"].source
    assert "last three Try-this" in fold
    for answer in ("**The toggle on $w^{L-1}$.**", "**A level tangent.**", "**$w^{L-1} = 5$.**"):
        assert answer in fold, answer
    check = cells["explore-answer-check"]
    assert check.metadata["jupyter"]["source_hidden"] and "PATHS" in check.source
    assert "np.prod([rows[i] for i in PATHS" in check.source


def test_the_zero_weight_answer_is_not_in_plain_sight_below_the_question():
    """(10) and (11) follow the question; the sentence that says why layer L-1 stood still comes
    only after their check, and the asserted outcome is a hidden cell."""
    cells = _cells04()
    at = {c.id: i for i, c in enumerate(cells)}
    for c in cells[at["predict-zero-weight"] : at["2a126aa9"] + 1]:
        assert "stood still" not in c.source or c.id == "predict-zero-weight-run", c.id
    assert at["zero-weight-back"] == at["2a126aa9"] + 1
    assert "stood still" in cells[at["zero-weight-back"]].source
    assert cells[at["predict-zero-weight-run-check"]].metadata["jupyter"]["source_hidden"]

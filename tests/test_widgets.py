"""The Explorer redraws on each slider move, reads out what it shows and carries a static PNG."""

import numpy as np

from bplib.plotting import figure
from bplib.widgets import Explorer, slider


def make_explorer(animated=True):
    fig, ax = figure(width=4, height=3)
    x = np.linspace(-2, 2, 50)
    (line,) = ax.plot(x, x**2)
    ax.set_ylim(0, 10)

    def update(a):
        line.set_ydata(a * x**2)
        return f"C(1) = {a:.2f}"

    return Explorer(
        fig,
        {"a": slider("a", 1.0, 0.0, 2.0, 0.25)},
        update,
        "the parabola gets steeper as a grows",
        animated=[line] if animated else (),
    )


def test_moving_a_slider_redraws_and_updates_the_readout():
    for animated in (True, False):
        e = make_explorer(animated)
        before = e.image.value
        e.set(a=2.0)
        assert e.image.value != before
        assert 'data-name="a">2.00</span>' in e.readout.value
        assert "C(1) = 2.00" in e.readout.value
        e.set(a=1.0)
        assert e.image.value == before  # same state, same picture
        assert len(e.event_ms) == 3


def test_mimebundle_has_widget_static_png_and_text():
    e = make_explorer()
    bundle = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/png"].startswith("iVBOR")  # base64 PNG signature
    assert bundle["text/plain"] == (
        "Explorer(a=1.00): C(1) = 1.00\nWhat to notice: the parabola gets steeper as a grows"
    )


def test_explorers_are_registered():
    e = make_explorer()
    assert e in Explorer.instances

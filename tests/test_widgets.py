"""The Explorer redraws on each slider move, reads out what it shows and carries a static view
(PNG and HTML with alt text, readout and caption); figures get alt text; feedback colours and
the selected toggle button are readable in JupyterLab's light and dark themes."""

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
    bundle, _ = e._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["image/png"].startswith("iVBOR")  # base64 PNG signature
    assert bundle["text/plain"] == (
        "Explorer(a=1.00): C(1) = 1.00\nWhat to notice: the parabola gets steeper as a grows"
    )


def test_the_plain_text_caption_has_no_markup():
    """Where HTML is not rendered (a terminal, a plain-text diff) the caption reads as text."""
    e = make_explorer()
    e.caption = "error &delta;<sup>l</sup><sub>j</sub> &le; <b>0.25</b>"
    bundle, _ = e._repr_mimebundle_()
    assert bundle["text/plain"].endswith("What to notice: error \u03b4^l_j \u2264 0.25")


def test_explorers_are_registered():
    e = make_explorer()
    assert e in Explorer.instances


# --- what a reader sees without a kernel --------------------------------------------------


def test_mimebundle_has_a_static_html_view_with_alt_text_readout_and_caption():
    e = make_explorer()
    data, metadata = e._repr_mimebundle_()
    view = data["text/html"]
    assert view.startswith('<div class="bplib-static-explorer">')
    assert f'src="data:image/png;base64,{data["image/png"]}"' in view
    alt = e.alt_text()
    assert alt == "A figure. Drawn at a = 1.00."  # no titles or labels: the settings at least
    assert f'alt="{alt}"' in view and metadata == {"image/png": {"alt": alt}}
    assert "a = <b>1.00</b>" in view and "C(1) = 1.00" in view
    assert "<b>What to notice:</b> the parabola gets steeper as a grows" in view
    assert e._repr_mimebundle_()[0]["text/html"] == view  # deterministic: no ids, no times
    e.fig.axes[0].set(title="a parabola", xlabel="$x$", ylabel=r"$C(\eta)$")
    assert e.alt_text() == "Figure. A parabola; x axis x and y axis C(η). Drawn at a = 1.00."
    e.title = "The parabola a x²"
    assert e.alt_text() == "The parabola a x². Drawn at a = 1.00."


def test_the_selected_toggle_button_is_styled_in_both_themes():
    from bplib.widgets import TOGGLE_CSS, toggle

    t = toggle("update", ["subtract", "add"], "subtract")
    assert "bplib-toggle" in t._dom_classes
    e = make_explorer()
    assert any(getattr(c, "value", None) == TOGGLE_CSS for c in e.box.children)
    assert ".bplib-toggle .widget-toggle-button.mod-active" in TOGGLE_CSS
    assert '[data-jp-theme-light="false"]' in TOGGLE_CSS


def test_figure_alt_text():
    from bplib.plotting import figure, figure_alt, plain_text

    assert plain_text(r"$\delta^L = \nabla_a C \odot \sigma'(z^L)$") == "δ^L = ∇_a C ⊙ σ'(z^L)"
    fig, axes = figure(2)
    axes[0].plot([0, 1], [0, 1], label=r"$\eta = 0.5$")
    axes[0].set(title="cost", xlabel="epoch", ylabel="$C$")
    axes[0].legend()
    axes[1].set_axis_off()
    axes[1].text(0, 0, "$a^L$")
    fig.suptitle("training")
    assert figure_alt(fig) == (
        "Figure with 2 panels. Training. Panel 1: cost; x axis epoch and y axis C; "
        "legend: η = 0.5. Panel 2: labelled a^L."
    )
    fig.set_label("The learning curve.")
    assert figure_alt(fig) == "The learning curve."


def test_every_figure_shown_in_ipython_carries_alt_text():
    from IPython.core.formatters import DisplayFormatter
    from matplotlib.figure import Figure

    from bplib.plotting import figure, install_display_formatter

    class Shell:
        display_formatter = DisplayFormatter()

    shell = Shell()
    assert install_display_formatter(shell)
    # `%matplotlib inline` drops every per-format printer of Figure; ours is a mime-bundle one
    for f in shell.display_formatter.formatters.values():
        f.pop(Figure, None)
    fig, ax = figure()
    ax.set(title="a line", xlabel="x")
    data, metadata = shell.display_formatter.format(fig)
    alt = "Figure. A line; x axis x."
    assert data["text/html"] == (
        f'<img class="bplib-figure" alt="{alt}" src="data:image/png;base64,{data["image/png"]}">'
    )
    assert metadata["image/png"] == {"alt": alt} and data["text/plain"] == f"<{alt}>"


# --- feedback colours: WCAG contrast in JupyterLab's light and dark themes ----------------


def _theme_color(theme, name):
    """A colour of JupyterLab's installed theme CSS (``--jp-layout-color0`` ...), as hex."""
    import re
    import sys
    from pathlib import Path

    css = Path(sys.prefix, "share/jupyter/lab/themes/@jupyterlab", f"theme-{theme}-extension")
    text = (css / "index.css").read_text()
    value = re.search(rf"{name}:\s*([^;}}]+)", text).group(1).strip()
    value = re.sub(r"var\([^,]+,\s*([^)]+)\)", r"\1", value)  # var(--md-grey-900,#212121)
    value = {"white": "#ffffff", "black": "#000000"}.get(value, value)
    if len(value) == 4:  # #111
        value = "#" + "".join(c * 2 for c in value[1:])
    return value


def _rgb(hex_):
    return [int(hex_[i : i + 2], 16) for i in (1, 3, 5)]


def _composite(page, rgba):
    *c, a = rgba
    return [a * x + (1 - a) * y for x, y in zip(c, page)]


def contrast(fg, bg):
    """WCAG 2 contrast ratio of two sRGB colours (0-255 triples)."""

    def lum(c):
        c = [v / 255 for v in c]
        c = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    a, b = sorted([lum(fg), lum(bg)], reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_feedback_colours_pass_4_5_to_1_in_both_themes():
    import re

    from bplib.exercises.feedback import BOX_BACKGROUND, COLORS, STATUSES

    box = [float(v) for v in re.findall(r"[\d.]+", BOX_BACKGROUND)]
    ratios = {}
    for theme in ("light", "dark"):
        for layout in ("--jp-layout-color0", "--jp-layout-color1"):
            page = _rgb(_theme_color(theme, layout))
            bg = _composite(page, box[:3] + [box[3]])
            for status in STATUSES:
                r = contrast(_rgb(COLORS[theme][status]), bg)
                ratios[theme, layout, status] = r
    low = {k: round(v, 2) for k, v in ratios.items() if v < 4.5}
    assert not low, f"feedback colours below 4.5:1: {low}"


def test_feedback_html_uses_the_theme_colours():
    from bplib.exercises.feedback import COLORS, Feedback

    html = Feedback("x", "wrong", "m")._repr_html_()
    assert "var(--bplib-wrong, " + COLORS["light"]["wrong"] + ")" in html
    assert '[data-jp-theme-light="false"] .bplib-feedback' in html
    assert "--bplib-wrong:" + COLORS["dark"]["wrong"] in html
    assert "class='bplib-feedback bplib-feedback-wrong'" in html

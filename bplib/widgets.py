"""Explorers: a figure plus sliders, drawn once and redrawn in place on each event.

An :class:`Explorer` shows its sliders, the figure as an image, a readout of
the slider values and of what the figure shows, and a caption that says what
to notice. In a notebook saved with outputs it also carries a static PNG of
its default state, so GitHub and nbviewer show the plot without a kernel.
"""

from __future__ import annotations

import base64
import html
import re
import time
import weakref

import ipywidgets as w

from .plotting import encode_png, figure_alt, img_html

#: The selected toggle button: white on the theme's brand blue, bold, with a check mark, in
#: JupyterLab's light and dark themes and in Voila (an unselected one stays grey). Each
#: explorer carries it (a <style> in an invisible HTML widget; it applies page-wide).
TOGGLE_CSS = """<style>
.bplib-toggle .widget-toggle-button.mod-active {
  background-color: #0d47a1; color: #ffffff; font-weight: bold;
  box-shadow: inset 0 0 0 2px #ffffff, 0 0 0 2px #0d47a1; }
[data-jp-theme-light="false"] .bplib-toggle .widget-toggle-button.mod-active {
  background-color: #90caf9; color: #000000;
  box-shadow: inset 0 0 0 2px #000000, 0 0 0 2px #90caf9; }
.bplib-toggle .widget-toggle-button.mod-active::before { content: "\\2713\\00a0"; }
</style>"""


def slider(description, value, min, max, step, fmt=".2f", integer=False):
    """A labelled slider with a readable width and readout format ``fmt``."""
    kind = w.IntSlider if integer else w.FloatSlider
    extra = {} if integer else {"readout_format": fmt}
    return kind(
        value=value,
        min=min,
        max=max,
        step=step,
        description=description,
        continuous_update=True,
        style={"description_width": "initial"},
        layout=w.Layout(width="320px"),
        **extra,
    )


def toggle(description, options, value, button_width="90px"):
    """A labelled row of toggle buttons (one option active), e.g. subtract/add or sigmoid/tanh.
    An option may be a pair ``(label, value)``: the button shows the label."""
    buttons = w.ToggleButtons(
        options=list(options),
        value=value,
        description=description,
        tooltips=[f"{description}: {o[0] if isinstance(o, tuple) else o}" for o in options],
        style={"description_width": "initial", "button_width": button_width},
    )
    buttons.add_class("bplib-toggle")  # the selected button's style: TOGGLE_CSS
    return buttons


def number(value, fmt="g"):
    """``value`` formatted for a caption: ``fmt`` as in :func:`format`, with a true minus sign
    (−) and never "−0"."""
    text = format(value + 0.0, fmt)  # + 0.0 turns -0.0 into 0.0
    if text.lstrip("-+").strip("0.e+-") == "":
        text = text.lstrip("-")  # "-0.000" after rounding: no sign
    return text.replace("-", "\u2212")


def html_text(markup):
    """``markup`` (a caption's HTML) as plain text: <sup>2</sup> as ^2, <sub>j</sub> as _j,
    <br> as a new line, other tags dropped, entities decoded (what a reader sees where HTML is
    not rendered)."""
    text = re.sub(r"<br\s*/?>", "\n", markup)  # a line break stays one
    text = re.sub(r"<sup>(.*?)</sup>", r"^\1", text)
    text = re.sub(r"<sub>(.*?)</sub>", r"_\1", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _fmt(s):
    fmt = getattr(s, "readout_format", "d")
    if isinstance(s.value, str):  # a toggle: what its button shows
        return getattr(s, "label", None) or s.value
    return format(s.value, fmt)


class Explorer:
    """Sliders that drive a matplotlib figure.

    ``update(**values)`` is called with the current value of every control
    (keyed as in ``controls``); it moves the figure's artists and may return a
    short text (numbers the figure shows) for the readout line. If
    ``animated`` lists the artists that ``update`` changes, the static rest of
    the figure is drawn once and only those artists are redrawn (blitting);
    the axes limits must then stay fixed.
    """

    #: Every explorer alive in this kernel (the benchmarks time their events).
    instances = weakref.WeakSet()

    def __init__(self, fig, controls, update, caption, animated=(), title=None):
        self.fig, self.controls, self.update, self.caption = fig, dict(controls), update, caption
        self.title = title  # what the picture shows, for its alt text (default: from the figure)
        self.animated = list(animated)
        self.event_ms = []  # kernel-side cost of each event, for the benchmarks
        self.image = w.Image(
            format="png", layout=w.Layout(max_width="100%", height="auto", align_self="flex-start")
        )
        self.image.add_class("bplib-plot")
        self.readout = w.HTML()
        self.readout.add_class("bplib-readout")
        caption_html = w.HTML(
            f'<div style="max-width:760px;line-height:1.4"><b>What to notice:</b> {caption}</div>'
        )
        caption_html.add_class("bplib-caption")
        self._background = None
        for name, c in self.controls.items():
            c.observe(self._on_change, names="value")
            c.add_class("bplib-control")  # hooks for the browser tests (tests/browser)
            c.add_class(f"bplib-control-{name}")
        self.box = w.VBox(
            [
                w.HBox(list(self.controls.values()), layout=w.Layout(flex_flow="row wrap")),
                self.image,
                self.readout,
                caption_html,
                w.HTML(TOGGLE_CSS, layout=w.Layout(display="none")),
            ]
        )
        self.box.add_class("bplib-explorer")
        self.refresh()
        Explorer.instances.add(self)

    @property
    def values(self):
        return {name: c.value for name, c in self.controls.items()}

    def _on_change(self, change):
        self.refresh()

    def refresh(self):
        """Apply the current control values to the figure and re-render it."""
        start = time.perf_counter()
        text = self.update(**self.values) or ""
        self.image.value = self.render()
        values = " &nbsp; ".join(
            f'{html.escape(c.description)} = <span class="bplib-value" data-name="{name}">'
            f"{_fmt(c)}</span>"
            for name, c in self.controls.items()
            if c.description
        )
        self.readout.value = (
            f'<span style="font-family:monospace">{values}'
            f"{' &nbsp;|&nbsp; ' + html.escape(text) if text else ''}</span>"
        )
        self.text = text
        self.event_ms.append(1000 * (time.perf_counter() - start))

    def render(self):
        """PNG bytes of the figure in its current state."""
        canvas = self.fig.canvas
        if self._background is None:
            canvas.draw()  # lay out once, then freeze the layout: redraws stay fast
            self.fig.set_layout_engine("none")
            for a in self.animated:
                a.set_animated(True)
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        if not self.animated:
            canvas.draw()
        else:
            canvas.restore_region(self._background)
            for a in self.animated:
                a.axes.draw_artist(a) if a.axes is not None else self.fig.draw_artist(a)
        return encode_png(canvas.buffer_rgba())

    def set(self, **values):
        """Set controls by name (as a reader would move them) and redraw once per change."""
        for name, value in values.items():
            self.controls[name].value = value
        return self

    def alt_text(self):
        """What the picture shows, in words: the explorer's title (or the figure's titles,
        axis labels and legend) and the slider settings it is drawn at."""
        what = self.title or figure_alt(self.fig)
        state = ", ".join(f"{c.description or n} = {_fmt(c)}" for n, c in self.controls.items())
        return f"{what.rstrip('.')}. Drawn at {state}." if state else what

    def static_html(self, png_b64=None):
        """The explorer without a kernel: its picture (with alt text), readout and caption.

        What JupyterLab shows before the notebook runs, and what nbconvert's HTML, the static
        slides, nbgrader's feedback and nbviewer show. Deterministic (no ids, no times).
        """
        if png_b64 is None:
            png_b64 = base64.b64encode(self.image.value).decode("ascii")
        values = " &nbsp; ".join(
            f"{html.escape(c.description)} = <b>{html.escape(_fmt(c))}</b>"
            for c in self.controls.values()
            if c.description
        )
        text = f" &nbsp;|&nbsp; {html.escape(self.text)}" if self.text else ""
        return (
            '<div class="bplib-static-explorer">\n'
            f"{img_html(png_b64, self.alt_text(), 'bplib-static-plot')}\n"
            f'<div class="bplib-static-readout" style="font-family:monospace;margin:4px 0">'
            f"{values}{text}</div>\n"
            '<div class="bplib-static-caption" style="max-width:760px;line-height:1.4">'
            f"<b>What to notice:</b> {self.caption}</div>\n"
            '<div class="bplib-static-note" style="font-size:90%;font-style:italic">'
            "A picture of the default settings: run the notebook to move the sliders.</div>\n"
            "</div>"
        )

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.box._repr_mimebundle_(**kwargs)
        png = base64.b64encode(self.image.value).decode("ascii")
        bundle["image/png"] = png
        bundle["text/html"] = self.static_html(png)
        state = ", ".join(f"{n}={_fmt(c)}" for n, c in self.controls.items())
        bundle["text/plain"] = (
            f"Explorer({state})"
            + (f": {self.text}" if self.text else "")
            + f"\nWhat to notice: {html_text(self.caption)}"
        )
        return bundle, {"image/png": {"alt": self.alt_text()}}

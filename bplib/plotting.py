"""Plotting helpers shared by the notebooks: readable defaults and fast PNG rendering."""
from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

#: Colours used across the series (colour-blind safe, Okabe-Ito).
BLUE, ORANGE, GREEN, RED, PURPLE, GREY = ("#0072B2", "#E69F00", "#009E73", "#D55E00",
                                          "#CC79A7", "#777777")

STYLE = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
}


def figure(ncols=1, nrows=1, width=9.0, height=3.4, **subplot_kw):
    """A new figure with its own Agg canvas (no pyplot state) and its axes.

    Returns ``fig, ax`` for one panel or ``fig, axes`` (a flat array) for several.
    """
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height), dpi=90, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, squeeze=False, subplot_kw=subplot_kw or None)
    axes = axes.ravel()
    return fig, (axes[0] if axes.size == 1 else axes)


def encode_png(rgba):
    """PNG bytes of an (h, w, 4) uint8 array, with fast low compression."""
    buf = io.BytesIO()
    Image.fromarray(np.asarray(rgba)).save(buf, format="png", compress_level=1)
    return buf.getvalue()

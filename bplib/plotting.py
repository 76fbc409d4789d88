"""Plotting shared by the notebooks and the explorers: readable defaults, fast PNG rendering,
and the static figures (decision boundaries, digit grids, a network drawing, the chain graph)."""

from __future__ import annotations

import base64
import html
import io
import re

import contourpy
import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

#: Colours used across the series (colour-blind safe, Okabe-Ito).
BLUE, ORANGE, GREEN, RED, PURPLE, GREY = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#777777",
)
#: Darker shades of orange and green for text and thin lines: on white they have 5.6:1 and
#: 6.0:1 contrast, where ORANGE text has about 2.2:1.
TEXT_ORANGE, TEXT_GREEN = "#A35200", "#00704F"

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


# -- classification in the plane: decision boundaries ---------------------------------

#: Probability of class 1: light blue (class 0) through white (0.5) to light orange (class 1),
#: pale enough that the data points (full colour, black edge) stand out on it.
PROBABILITY_CMAP = LinearSegmentedColormap.from_list("bplib_p", ["#8cc3e6", "#ffffff", "#f5c86a"])
MARKERS = ["o", "s", "^", "D", "v", "P"]
CLASS_COLOURS = [BLUE, ORANGE, "#009E73", "#CC79A7", "#56B4E9", "#F0E442"]


class BoundaryGrid:
    """A regular grid over the data's bounding box (plus a margin), for boundary plots.

    ``points`` is ``(resolution**2, 2)``, one grid point per row, ready for
    ``net.feedforward``; :meth:`image` reshapes one value per point back into the
    ``(resolution, resolution)`` picture that ``imshow(..., extent=self.extent)`` draws.
    """

    def __init__(self, X, resolution=60, margin=0.4):
        lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
        self.x1 = np.linspace(lo[0], hi[0], resolution)
        self.x2 = np.linspace(lo[1], hi[1], resolution)
        g1, g2 = np.meshgrid(self.x1, self.x2)
        self.points = np.c_[g1.ravel(), g2.ravel()]
        self.extent = (lo[0], hi[0], lo[1], hi[1])
        self.shape = g1.shape

    def image(self, values):
        return np.asarray(values).reshape(self.shape)

    def probability(self, net):
        """The network's output :math:`a^L` (probability of class 1) on every grid point."""
        return self.image(net.feedforward(self.points)[:, 0])

    def contour(self, P, level=0.5):
        """The line(s) where ``P == level``, as a list of (m, 2) arrays."""
        gen = contourpy.contour_generator(self.x1, self.x2, P, line_type="Separate")
        return gen.lines(level)


def scatter_classes(ax, X, y):
    """The data, one colour and marker per class; returns the scatter artists."""
    return [
        ax.scatter(
            X[y == c, 0],
            X[y == c, 1],
            s=16,
            color=CLASS_COLOURS[c],
            marker=MARKERS[c],
            edgecolor="k",
            linewidth=0.5,
            label=f"class {c}",
            zorder=3,
        )
        for c in np.unique(y)
    ]


def probability_image(ax, grid, P):
    """Draw the probabilities ``P`` over ``grid`` as the decision background (0 to 1)."""
    return ax.imshow(
        P,
        origin="lower",
        extent=grid.extent,
        cmap=PROBABILITY_CMAP,
        vmin=0,
        vmax=1,
        aspect="auto",
        interpolation="bilinear",
    )


def plot_decision_boundary(ax, net, X, y, resolution=200, title=None):
    """Draw ``net``'s prediction over the plane, its decision boundary and the data.

    For one sigmoid output the background is :math:`a^L` (the probability of
    class 1, white at 0.5) and the black line is :math:`a^L = 0.5`. For several
    outputs the background colour is the predicted class (argmax).
    """
    grid = BoundaryGrid(X, resolution)
    if net.sizes[-1] == 1:
        P = grid.probability(net)
        probability_image(ax, grid, P)
        ax.add_collection(LineCollection(grid.contour(P), colors="k", linewidths=1.5))
    else:
        k = net.sizes[-1]
        labels = grid.image(net.predict(grid.points))
        ax.imshow(
            labels,
            origin="lower",
            extent=grid.extent,
            alpha=0.35,
            aspect="auto",
            cmap=ListedColormap(CLASS_COLOURS[:k]),
            vmin=-0.5,
            vmax=k - 0.5,
            interpolation="nearest",
        )
    scatter_classes(ax, X, y)
    ax.set_xlim(grid.extent[:2])
    ax.set_ylim(grid.extent[2:])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


# -- digits -----------------------------------------------------------------------------


def plot_digits(ax, images, labels, predictions, ncols=10):
    """A grid of 28x28 digits, each titled with the prediction; wrong ones red and framed.

    Drawn as one image (a montage) on ``ax``, which is fast for many digits.
    images : (m, 784)   labels, predictions : (m,)
    """
    m = len(images)
    nrows = int(np.ceil(m / ncols))
    top, gap = 13, 6  # pixels for the title row, gap between digits
    cell_h, cell_w = 28 + top, 28 + gap
    canvas = np.zeros((nrows * cell_h + 3, ncols * cell_w))  # + 3: room for the frames
    ax.imshow(canvas, cmap="gray_r", vmin=0, vmax=1)  # placeholder for the extent
    for i in range(m):
        r, c = divmod(i, ncols)
        y0, x0 = r * cell_h + top, c * cell_w + gap // 2
        canvas[y0 : y0 + 28, x0 : x0 + 28] = images[i].reshape(28, 28)
        right = predictions[i] == labels[i]
        ax.text(
            x0 + 14,
            y0 - 2,
            f"{predictions[i]}" if right else f"{predictions[i]} (is {labels[i]})",
            ha="center",
            va="bottom",
            fontsize=10,
            color="k" if right else RED,
            fontweight="normal" if right else "bold",
        )
        if not right:
            ax.add_patch(Rectangle((x0 - 1.5, y0 - 1.5), 30, 30, fill=False, ec=RED, lw=2))
    ax.images[0].set_data(canvas)
    ax.set_axis_off()
    return ax


# -- a dense network as a graph ----------------------------------------------------------

#: Edge colours: positive weights green, negative weights purple (colour-blind safe pair).
POSITIVE, NEGATIVE = "#1B7837", "#762A83"


def node_positions(sizes, dx=1.0, dy=1.0):
    """``[(x, y) arrays per layer]``: layers left to right, nodes top to bottom, centred on 0."""
    return [(np.full(n, l * dx), ((n - 1) / 2 - np.arange(n)) * dy) for l, n in enumerate(sizes)]


def edge_colors(W, index):
    """Green for a positive weight, purple for a negative one (``W[l]`` is :math:`W^l`)."""
    return [POSITIVE if W[l][j, k] >= 0 else NEGATIVE for l, j, k in index]


def edge_widths(W, index, wmax=4.0, edge_width=5.0):
    """Line widths proportional to |w|, from 0.3 pt up to ``edge_width`` pt at ``wmax``."""
    return [0.3 + edge_width * min(abs(W[l][j, k]) / wmax, 1.0) for l, j, k in index]


def draw_network(ax, sizes, W, dx=1.0, wmax=4.0, node_size=1500, edge_width=5.0, skip=None):
    """Draw a dense network on ``ax``: edges (green +, purple -, width ~ |w|) and empty nodes.

    ``W`` is indexed by layer, like ``net.W``: edge ``(l, j, k)`` has weight
    ``W[l][j, k]``, from node ``k`` of layer ``l-1`` to node ``j`` of layer ``l``.
    Returns ``(positions, edges, index, nodes)``: the node positions per
    layer, one :class:`LineCollection` with every edge, the ``(l, j, k)`` of
    each segment in that collection, and one scatter of all nodes (the caller
    colours them with ``nodes.set_facecolor``). The edge ``skip = (l, j, k)``
    is left out, for the caller to draw on its own.
    """
    pos = node_positions(sizes, dx=dx)
    segs, index = [], []
    for l in range(1, len(sizes)):
        (x0, y0), (x1, y1) = pos[l - 1], pos[l]
        for j in range(sizes[l]):
            for k in range(sizes[l - 1]):
                if (l, j, k) == skip:
                    continue
                segs.append([(x0[k], y0[k]), (x1[j], y1[j])])
                index.append((l, j, k))
    edges = LineCollection(segs, zorder=1, capstyle="round")
    edges.set_colors(edge_colors(W, index))
    edges.set_linewidths(edge_widths(W, index, wmax, edge_width))
    ax.add_collection(edges)
    xs = np.concatenate([p[0] for p in pos])
    ys = np.concatenate([p[1] for p in pos])
    nodes = ax.scatter(xs, ys, s=node_size, c="white", edgecolors="black", linewidths=1.2, zorder=3)
    ax.set_aspect("equal")
    ax.axis("off")
    return pos, edges, index, nodes


# -- the chain of single neurons (notebook 04) as a graph ---------------------------------


def chain_graph(labels=True):
    r"""A static figure of the chain as a graph: which quantity feeds which, and on
    every arrow the local derivative (the factor the chain rule multiplies in).

    The derivative of :math:`C_i` with respect to any quantity is the product of
    the labels along the path from it to :math:`C_i`. With ``labels=False`` the
    arrows carry no label: the dependencies alone, for the reader to label.
    """
    fig, ax = figure(1, 1, width=10.0, height=2.9)
    if labels:
        fig.set_label(
            "The chain as a graph: x = a^(L−2) → z^(L−1) → a^(L−1) → z^L → a^L → C_i, with "
            "w^(L−1), b^(L−1), w^L, b^L and y feeding in from above. Each arrow is labelled "
            "with its local derivative: w^(L−1), σ′(z^(L−1)), w^L, σ′(z^L) and a^L − y "
            "along the chain, a^(L−2), 1, a^(L−1), 1 from the parameters. The derivative of C_i "
            "with respect to any quantity is the product of the labels on the path from it to C_i."
        )
    else:
        fig.set_label(
            "The chain as a graph: x = a^(L−2) → z^(L−1) → a^(L−1) → z^L → a^L → C_i, with "
            "w^(L−1), b^(L−1), w^L, b^L and y feeding in from above. The arrows carry no "
            "labels: each arrow is one step, whose local derivative is yours to work out."
        )
    ax.set_axis_off()
    ax.set(xlim=(-0.5, 10.6), ylim=(-1.0, 1.75))
    main = {
        "x": (0.0, r"$x = a^{L-2}$"),
        "z1": (2.0, r"$z^{L-1}$"),
        "a1": (4.0, r"$a^{L-1}$"),
        "z2": (6.0, r"$z^L$"),
        "a2": (8.0, r"$a^L$"),
        "C": (10.0, r"$C_i$"),
    }
    box = dict(boxstyle="round,pad=0.35", fc="white", ec=BLUE, lw=1.5)
    pbox = dict(boxstyle="round,pad=0.3", fc="#f3f3f3", ec=GREY, lw=1.0)
    for xpos, label in main.values():
        ax.text(xpos, 0, label, ha="center", va="center", fontsize=13, bbox=box, zorder=3)
    params = [
        (1.5, r"$w^{L-1}$", 2.0, r"$a^{L-2}$"),
        (2.5, r"$b^{L-1}$", 2.0, "$1$"),
        (5.5, r"$w^L$", 6.0, r"$a^{L-1}$"),
        (6.5, r"$b^L$", 6.0, "$1$"),
        (10.0, "$y$", 10.0, None),
    ]
    for xpos, label, target, deriv in params:
        ax.text(xpos, 1.3, label, ha="center", va="center", fontsize=12, bbox=pbox, zorder=3)
        ax.annotate(
            "",
            xy=(target, 0.28),
            xytext=(xpos, 1.08),
            arrowprops=dict(arrowstyle="->", color=GREY, lw=1.2),
        )
        if deriv is not None and labels:
            ax.text(
                (xpos + target) / 2 + (-0.22 if xpos < target else 0.22),
                0.72,
                deriv,
                ha="right" if xpos < target else "left",
                va="center",
                fontsize=11,
                color=GREY,
            )
    edges = [
        ("x", "z1", r"$w^{L-1}$"),
        ("z1", "a1", r"$\sigma'(z^{L-1})$"),
        ("a1", "z2", r"$w^L$"),
        ("z2", "a2", r"$\sigma'(z^L)$"),
        ("a2", "C", r"$a^L - y$"),
    ]
    for start, end, deriv in edges:
        x0, x1 = main[start][0], main[end][0]
        ax.annotate(
            "",
            xy=(x1 - 0.55, 0),
            xytext=(x0 + 0.62, 0),
            arrowprops=dict(arrowstyle="->", color=BLUE, lw=1.6),
        )
        if labels:
            ax.text(
                (x0 + x1) / 2, -0.42, deriv, ha="center", va="top", fontsize=11, color=TEXT_ORANGE
            )
    if not labels:
        return fig
    ax.text(
        5.0,
        -0.98,
        "the label of an arrow is the derivative of the quantity it points to "
        "with respect to the quantity it starts from",
        ha="center",
        va="bottom",
        fontsize=10,
        color=GREY,
    )
    return fig


def value_graph(nodes, edges, width=10.0, height=3.6):
    r"""A static figure of a computational graph (notebook 11): one box per node with its
    label, its value and its adjoint, and one arrow per edge, labelled with the local
    derivative stored on it.

    ``nodes`` is a list of ``(label, value, adjoint, (x, y), constant)``; ``edges`` a list of
    ``(parent_index, child_index, local_derivative)``, one per use of the parent as an
    argument (a node used twice has two arrows). Constants are drawn in grey.
    """
    fig, ax = figure(1, 1, width=width, height=height)
    ax.set_axis_off()
    xs = [pos[0] for *_, pos, _ in nodes]
    ys = [pos[1] for *_, pos, _ in nodes]
    ax.set(xlim=(min(xs) - 0.7, max(xs) + 0.7), ylim=(min(ys) - 0.55, max(ys) + 0.55))
    boxes = []
    for label, value, adjoint, (x, y), constant in nodes:
        box = dict(boxstyle="round,pad=0.35", fc="#f3f3f3" if constant else "white")
        box.update(ec=GREY if constant else BLUE, lw=1.0 if constant else 1.5)
        text = f"{label}\n{value:.4g}\n" + ("constant" if constant else f"adjoint {adjoint:.3g}")
        boxes.append(
            ax.text(x, y, text, ha="center", va="center", fontsize=9.5, linespacing=1.25, bbox=box)
        )
    fig.canvas.draw()  # the boxes get their sizes: each arrow runs from box edge to box edge
    for parent, child, local in edges:
        (x0, y0), (x1, y1) = nodes[parent][3], nodes[child][3]
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops=dict(
                arrowstyle="-|>",
                color=BLUE,
                lw=1.4,
                mutation_scale=12,
                patchA=boxes[parent].get_bbox_patch(),
                patchB=boxes[child].get_bbox_patch(),
                shrinkA=1,
                shrinkB=1,
            ),
        )
        ax.text(  # above the middle of the arrow, so that a short arrow stays visible
            (x0 + x1) / 2,
            (y0 + y1) / 2 + 0.16,
            f"{local:.3g}",
            ha="center",
            va="center",
            fontsize=9.5,
            color=TEXT_ORANGE,
            bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8),
        )
    return fig


# -- alt text: every figure a notebook shows says in words what it shows ------------------

_TEX = {
    r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\delta": "δ", r"\Delta": "Δ",
    r"\varepsilon": "ε", r"\epsilon": "ε", r"\eta": "η", r"\theta": "θ", r"\lambda": "λ",
    r"\mu": "μ", r"\sigma": "σ", r"\nabla": "∇", r"\partial": "∂", r"\odot": "⊙",
    r"\cdot": "·", r"\times": "×", r"\approx": "≈", r"\leq": "≤", r"\geq": "≥",
    r"\le": "≤", r"\ge": "≥", r"\to": "→", r"\infty": "∞", r"\sum": "Σ", r"\|": "‖",
    r"\ell": "ℓ", r"\pm": "±", r"\prime": "′", r"\propto": "∝", r"\mid": "|",
}  # fmt: skip
_TEX_RE = re.compile("|".join(re.escape(k) + r"(?![A-Za-z])" for k in sorted(_TEX, key=len)[::-1]))


def plain_text(label):
    """A matplotlib label in words a screen reader can say: mathtext ``$\\delta^L$`` -> δ^L."""
    text = _TEX_RE.sub(lambda m: _TEX[m.group(0)], str(label))
    text = re.sub(r"\\(?:mathrm|mathbf|mathit|text|operatorname)\{([^}]*)\}", r"\1", text)
    text = re.sub(r"\^\{([A-Za-z][-+][0-9A-Za-z]+)\}", r"^(\1)", text)  # a^{L-1} -> a^(L-1)
    text = re.sub(r"\\[,;:! ]", " ", text)  # TeX spaces
    text = re.sub(r"\\([A-Za-z]+)", r"\1", text)  # any other command: its name
    text = text.replace("$", "").replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text).strip()


def _join(items):
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def figure_alt(fig):
    """Alt text for ``fig``: what it shows, in words.

    An author who knows better sets it on the figure: ``fig.set_label("...")`` (the label
    is used as the whole alt text). Otherwise it is built from the figure's suptitle and,
    per panel, its title, axis labels and legend entries.
    """
    label = fig.get_label()
    if label and not label.startswith("_"):
        return plain_text(label)
    parts = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text():
        parts.append(plain_text(suptitle.get_text()))
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    panels = []
    for ax in axes:
        bits = []
        title = _join(
            [plain_text(t.get_text()) for t in (ax.title, ax._left_title, ax._right_title)]
        )
        if title:
            bits.append(title)
        axis = [
            f"{name} {plain_text(text)}"
            for name, text in (("x axis", ax.get_xlabel()), ("y axis", ax.get_ylabel()))
            if text and ax.axison
        ]
        if axis:
            bits.append(_join(axis))
        legend = ax.get_legend()
        if legend is not None:
            entries = [plain_text(t.get_text()) for t in legend.get_texts() if t.get_text()]
            if entries:
                bits.append("legend: " + _join(entries))
        if not bits:  # a diagram without titles or labels: what its text says
            texts = [plain_text(t.get_text()) for t in ax.texts if t.get_visible()]
            texts = [t for t in dict.fromkeys(texts) if t]
            if texts:
                more = len(texts) - 12
                bits.append(
                    "labelled " + _join(texts[:12] + ([f"{more} more"] if more > 0 else []))
                )
        if bits:
            panels.append("; ".join(bits))
    if len(panels) == 1:
        parts.append(panels[0])
    elif panels:
        parts += [f"panel {i}: {p}" for i, p in enumerate(panels, 1)]
    if not parts:
        return "A figure" + (f" with {len(axes)} panels" if len(axes) > 1 else "") + "."
    kind = f"Figure with {len(axes)} panels" if len(axes) > 1 else "Figure"
    return f"{kind}. " + ". ".join(p[0].upper() + p[1:] for p in parts) + "."


def figure_png(fig):
    """The figure as base64 PNG, as IPython's inline backend would show it."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython is a dependency
        shell = None
    if shell is not None:
        png = shell.display_formatter.formatters["image/png"]
        try:
            printer = png.lookup(fig)
        except KeyError:
            printer = None
        if printer is not None:
            data = printer(fig)
            if data is not None:
                return data[0] if isinstance(data, tuple) else data
    buf = io.BytesIO()
    fig.canvas.print_figure(
        buf,
        format="png",
        facecolor=fig.get_facecolor(),
        edgecolor=fig.get_edgecolor(),
        dpi=fig.dpi,
        bbox_inches="tight",
    )
    return base64.b64encode(buf.getvalue()).decode("ascii")


def img_html(png_b64, alt, css_class="bplib-figure"):
    """An ``<img>`` with the base64 PNG inline and its alt text (no external file)."""
    return (
        f'<img class="{css_class}" alt="{html.escape(alt, quote=True)}" '
        f'src="data:image/png;base64,{png_b64}">'
    )


def figure_mimebundle(fig, include=None, exclude=None):
    """``(data, metadata)`` for showing ``fig`` in a notebook: the PNG, an HTML ``<img>`` with
    alt text (what nbconvert's HTML, JupyterLab and the static slides show), the alt text in
    the PNG's metadata (nbconvert's classic template reads it) and a text description."""
    if not fig.axes and not fig.lines:
        return {}, {}
    png = figure_png(fig)
    try:
        alt = figure_alt(fig)
    except Exception:  # noqa: BLE001 - a figure is shown even if its description fails
        alt = "A figure."
    data = {"image/png": png, "text/html": img_html(png, alt), "text/plain": f"<{alt}>"}
    return data, {"image/png": {"alt": alt}}


def install_display_formatter(shell=None):
    """Make every matplotlib figure shown in this IPython kernel carry alt text.

    Registered as a mime-bundle formatter, which ``%matplotlib inline`` (it resets the
    per-format printers of ``Figure``) leaves in place. Called when bplib.plotting is
    imported; does nothing outside IPython.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    shell.display_formatter.mimebundle_formatter.for_type(Figure, figure_mimebundle)
    return True


install_display_formatter()

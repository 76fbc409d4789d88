"""Error types and the boundary checks that produce readable messages."""

from __future__ import annotations

import difflib

import numpy as np


class ShapeError(ValueError):
    """An array has the wrong shape; the message names what was expected."""


class DivergenceError(FloatingPointError):
    """Training produced a non-finite cost: the learning rate is too large.

    The network is restored to its last finite parameters and the history up
    to that point is kept in ``.history``, so nothing is lost.
    """

    def __init__(self, message, history=None):
        super().__init__(message)
        self.history = history


def check_name(name, options, what):
    """Return ``name`` if it is one of ``options``, else raise a clear ValueError."""
    if isinstance(name, str) and name in options:
        return name
    close = difflib.get_close_matches(str(name), list(options), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise ValueError(
        f"unknown {what} {name!r}; choose one of {', '.join(map(repr, options))}.{hint}"
    )


def as_batch(X, n_features, what="X", dtype=np.float64):
    """Check that ``X`` is a finite (n, n_features) batch and return it as ``dtype``.

    Rows are examples. Integer and boolean arrays are accepted and converted.
    """
    X = np.asarray(X)
    if X.dtype == object or not (np.issubdtype(X.dtype, np.number) or X.dtype == bool):
        raise TypeError(f"{what} must be a numeric array; got dtype {X.dtype}.")
    if X.ndim != 2:
        hint = ""
        if X.ndim == 1 and X.shape[0] == n_features:
            hint = f" For a single example use {what}.reshape(1, -1)."
        raise ShapeError(
            f"{what} must be a 2-D array of shape (n, {n_features}) with one example "
            f"per row; got shape {X.shape}.{hint}"
        )
    if X.shape[0] == 0:
        raise ShapeError(f"{what} is an empty batch (shape {X.shape}); pass at least one row.")
    if X.shape[1] != n_features:
        hint = ""
        if X.shape[0] == n_features:
            hint = f" Did you pass the transpose? Rows are examples: try {what}.T."
        columns = "1 column" if n_features == 1 else f"{n_features} columns"
        layer = {"X": "input", "Y": "output neuron"}.get(what, "neuron")
        raise ShapeError(
            f"{what} must have {columns} (one per {layer}): "
            f"expected shape (n, {n_features}), got {X.shape}.{hint}"
        )
    X = X.astype(dtype, copy=False)
    if not np.isfinite(X).all():
        bad = np.argwhere(~np.isfinite(X))[0]
        raise ValueError(
            f"{what} contains NaN or infinity (first at row {bad[0]}, column {bad[1]}: "
            f"{X[bad[0], bad[1]]})."
        )
    return X


def check_pair(a, y):
    """Raise a ShapeError if ``y`` would broadcast ``a`` to another shape.

    A cost compares activations with targets entry by entry. A flat target (n,) against an
    (n, 1) output would broadcast silently to (n, n) and give a wrong cost; a scalar target
    (one value for every entry) keeps the shape and is accepted.
    """
    sa, sy = np.shape(a), np.shape(y)
    if sa == sy:
        return
    try:
        both = np.broadcast_shapes(sa, sy)
    except ValueError:
        both = None
    if both != sa:
        hint = ""
        if len(sy) == 1 and len(sa) == 2 and sa[0] == sy[0]:
            hint = " A flat target (n,) needs a column: y.reshape(-1, 1)."
        raise ShapeError(
            f"the activations have shape {sa} and the targets {sy}: a cost compares them entry "
            f"by entry, so they must have the same shape"
            + (f" (numpy would broadcast them to {both})" if both else "")
            + f".{hint}"
        )

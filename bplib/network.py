"""A fully connected (dense) feed-forward network, batch-first."""

from __future__ import annotations

import numpy as np

from .activations import get_activation
from .backward import backprop
from .costs import get_cost
from .errors import ShapeError, as_batch
from .forward import feedforward, feedforward_layers


class ParameterList(list):
    """Weight or bias arrays indexed by layer: item ``l`` belongs to layer ``l``.

    Item 0 (the input layer) is ``None``. Assigning an item checks its shape.
    """

    def __init__(self, arrays, shapes, what, dtype):
        self._shapes, self._what, self._dtype = shapes, what, dtype
        super().__init__([None] + [self._check(l, a) for l, a in enumerate(arrays[1:], start=1)])

    def _check(self, l, value):
        value = np.asarray(value)
        if value.shape != self._shapes[l]:
            raise ShapeError(
                f"{self._what}[{l}] must have shape {self._shapes[l]}; got {value.shape}."
            )
        if not np.issubdtype(value.dtype, np.number) or not np.isfinite(value).all():
            raise ValueError(f"{self._what}[{l}] must be finite numbers.")
        # a C-ordered copy: the caller's array is not aliased, and reshape(-1) is a view
        return np.array(value, dtype=self._dtype, order="C")

    def __setitem__(self, l, value):
        if isinstance(l, slice):
            raise TypeError(f"assign {self._what} one layer at a time, or the whole list.")
        l = range(len(self))[l]
        if l == 0:
            raise IndexError(
                f"{self._what}[0] is the input layer, which has no parameters; "
                f"layers with parameters are 1..{len(self) - 1}."
            )
        list.__setitem__(self, l, self._check(l, value))

    def _frozen(self, *args, **kwargs):
        raise TypeError(f"the number of layers is fixed; {self._what} cannot grow or shrink.")

    append = extend = insert = pop = remove = clear = reverse = sort = _frozen
    __delitem__ = __iadd__ = __imul__ = _frozen

    def __reduce__(self):  # copy.deepcopy and pickle rebuild the list through __init__
        return (type(self), (list(self), self._shapes, self._what, self._dtype))


class Network:
    """A dense network with ``sizes[0]`` inputs and ``sizes[-1]`` outputs.

    Lists are indexed by layer, as the equations are: ``W[l]`` is :math:`W^l`, of
    shape ``(sizes[l], sizes[l-1])``, and ``b[l]`` is :math:`b^l`, of shape
    ``(sizes[l],)``, for ``l = 1 .. L``; ``W[0]`` and ``b[0]`` are ``None`` (the
    input layer has no parameters). Weights start as N(0, 1/n_in) and biases as
    N(0, 1), drawn from ``seed`` (Nielsen's initialisation).
    """

    def __init__(
        self,
        sizes,
        activation="sigmoid",
        output_activation=None,
        cost="quadratic",
        seed=0,
        dtype=np.float64,
    ):
        sizes = list(sizes)
        if len(sizes) < 2 or not all(isinstance(s, (int, np.integer)) and s > 0 for s in sizes):
            raise ValueError(
                f"sizes must list at least two positive integers (inputs ... outputs); got {sizes}."
            )
        self.sizes = [int(s) for s in sizes]
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64; got {self.dtype}.")
        self.activation = get_activation(activation)
        self.output_activation = (
            self.activation if output_activation is None else get_activation(output_activation)
        )
        self.cost_function = get_cost(cost)
        if not self.activation.elementwise:
            raise ValueError(
                f"{self.activation.name} acts on a whole row and has no element-wise σ′, so it "
                "cannot be a hidden activation; use it as output_activation."
            )
        if self.cost_function.name == "cross_entropy" and self.output_activation.name != "sigmoid":
            raise ValueError(
                "the cross-entropy cost needs outputs in (0, 1), one probability per output "
                "node: use output_activation='sigmoid' with it; got output_activation="
                f"{self.output_activation.name!r}."
            )
        softmax_out = not self.output_activation.elementwise
        categorical = self.cost_function.name == "categorical_cross_entropy"
        if softmax_out != categorical:
            raise ValueError(
                "a softmax output layer and the categorical cross-entropy cost go together "
                "(their δ^L = a^L − y needs no σ′): use output_activation='softmax' with "
                "cost='categorical_cross_entropy'; got output_activation="
                f"{self.output_activation.name!r} and cost={self.cost_function.name!r}."
            )
        rng = np.random.default_rng(seed)
        self.W = [None] + [
            rng.normal(0.0, 1.0 / np.sqrt(n_in), (n_out, n_in))
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])
        ]
        self.b = [None] + [rng.normal(0.0, 1.0, n_out) for n_out in self.sizes[1:]]

    # -- parameters -----------------------------------------------------------
    @property
    def L(self):
        """The number of layers with parameters (the output layer is layer L)."""
        return len(self.sizes) - 1

    @property
    def W(self):
        """The weights by layer: ``W[l]`` is :math:`W^l`, shape ``(sizes[l], sizes[l-1])``."""
        return self._W

    @W.setter
    def W(self, arrays):
        shapes = [None] + [(o, i) for i, o in zip(self.sizes[:-1], self.sizes[1:])]
        self._W = ParameterList(self._layers(arrays, "W"), shapes, "W", self.dtype)

    @property
    def b(self):
        """The biases by layer: ``b[l]`` is :math:`b^l`, shape ``(sizes[l],)``."""
        return self._b

    @b.setter
    def b(self, arrays):
        shapes = [None] + [(o,) for o in self.sizes[1:]]
        self._b = ParameterList(self._layers(arrays, "b"), shapes, "b", self.dtype)

    def _layers(self, arrays, what):
        arrays = list(arrays)
        if len(arrays) != self.L + 1 or arrays[0] is not None:
            raise ShapeError(
                f"{what} is indexed by layer: [None, {what}1, ..., {what}{self.L}], with None for "
                f"the input layer and one array for each of the {self.L} layers; got a list of "
                f"{len(arrays)} starting with {type(arrays[0]).__name__ if arrays else 'nothing'}."
            )
        return arrays

    @property
    def sigmas(self):
        """The activation of each layer; index 0 (the input) is unused."""
        return [None] + [self.activation] * (self.L - 1) + [self.output_activation]

    def copy(self):
        """An independent copy with the same parameters."""
        new = Network.__new__(Network)
        new.__dict__.update(self.__dict__)
        new.sizes = list(self.sizes)
        new.W, new.b = list(self.W), list(self.b)
        return new

    def __deepcopy__(self, memo):
        return self.copy()

    def __repr__(self):
        return (
            f"Network({self.sizes}, activation={self.activation.name!r}, "
            f"output_activation={self.output_activation.name!r}, "
            f"cost={self.cost_function!r})"
        )

    # -- checks at the boundary -------------------------------------------------
    def check_X(self, X):
        return as_batch(X, self.sizes[0], "X", self.dtype)

    def check_XY(self, X, Y):
        X = self.check_X(X)
        Y = np.asarray(Y)
        if Y.ndim == 1 and self.sizes[-1] == 1:
            Y = Y.reshape(-1, 1)
        Y = as_batch(Y, self.sizes[-1], "Y", self.dtype)
        if Y.shape[0] != X.shape[0]:
            raise ShapeError(
                f"X has {X.shape[0]} rows but Y has {Y.shape[0]}; "
                "they need one target row per example."
            )
        return X, Y

    # -- the forward pass, the cost and its gradients ---------------------------
    def feedforward(self, X):
        """The output :math:`a^L` for the batch ``X``, shape ``(n, sizes[-1])``."""
        return feedforward(self.W, self.b, self.sigmas, self.check_X(X))

    def feedforward_layers(self, X):
        """``z, a``: every layer's weighted input and activation (``a[0]`` is ``X``)."""
        return feedforward_layers(self.W, self.b, self.sigmas, self.check_X(X))

    def cost(self, X, Y):
        """The mean over the rows of the per-example cost :math:`C_i`."""
        X, Y = self.check_XY(X, Y)
        return float(np.mean(self.cost_function.fn(self.feedforward(X), Y)))

    def gradients(self, X, Y):
        """``grad_W, grad_b`` by layer: :math:`\\frac1n \\sum_i \\partial C_i/\\partial W^l`, by backprop."""
        X, Y = self.check_XY(X, Y)
        return backprop(self.W, self.b, self.sigmas, self.cost_function, X, Y)

    def predict(self, X):
        """Class labels: argmax of the outputs, or ``a > 0.5`` for one output."""
        a = self.feedforward(X)
        return (a[:, 0] > 0.5).astype(int) if a.shape[1] == 1 else a.argmax(axis=1)

    def accuracy(self, X, Y):
        """The fraction of rows whose predicted class matches ``Y`` (labels or one-hot)."""
        Y = np.asarray(Y)
        labels = Y.argmax(axis=1) if Y.ndim == 2 and Y.shape[1] > 1 else Y.reshape(-1).round()
        return float(np.mean(self.predict(X) == labels))

    def fit(self, X, Y, epochs=30, batch_size=32, eta=3.0, seed=0, **kwargs):
        """Mini-batch SGD; see :func:`bplib.training.sgd` for the options."""
        from .training import sgd

        return sgd(self, X, Y, epochs=epochs, batch_size=batch_size, eta=eta, seed=seed, **kwargs)

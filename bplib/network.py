"""A fully connected (dense) feed-forward network, batch-first."""
from __future__ import annotations

import numpy as np

from .activations import get_activation
from .backprop import backprop
from .costs import get_cost
from .errors import ShapeError, as_batch


def weighted_input(a_prev, W, b):
    r"""A dense layer's weighted input :math:`z^l = a^{l-1} (W^l)^T + b^l`.

    a_prev : (n, n_{l-1})   W : (n_l, n_{l-1})   b : (n_l,)   returns : (n, n_l)
    """
    return a_prev @ W.T + b


class ParameterList(list):
    """A list of weight or bias arrays whose item assignment checks the shape."""

    def __init__(self, arrays, shapes, what, dtype):
        self._shapes, self._what, self._dtype = shapes, what, dtype
        super().__init__(self._check(i, a) for i, a in enumerate(arrays))

    def _check(self, i, value):
        value = np.asarray(value)
        if value.shape != self._shapes[i]:
            raise ShapeError(
                f"{self._what}[{i}] (layer {i + 1}) must have shape {self._shapes[i]}; "
                f"got {value.shape}."
            )
        if not np.issubdtype(value.dtype, np.number) or not np.isfinite(value).all():
            raise ValueError(f"{self._what}[{i}] (layer {i + 1}) must be finite numbers.")
        return np.array(value, dtype=self._dtype)  # a copy: the caller's array is not aliased

    def __setitem__(self, i, value):
        if isinstance(i, slice):
            raise TypeError(f"assign {self._what} one layer at a time, or the whole list.")
        list.__setitem__(self, i, self._check(range(len(self))[i], value))

    def _frozen(self, *args, **kwargs):
        raise TypeError(f"the number of layers is fixed; {self._what} cannot grow or shrink.")

    append = extend = insert = pop = remove = clear = __delitem__ = __iadd__ = _frozen


class Network:
    """A dense network with ``sizes[0]`` inputs and ``sizes[-1]`` outputs.

    ``weights[l]`` has shape ``(sizes[l+1], sizes[l])`` and ``biases[l]`` shape
    ``(sizes[l+1],)``: list index ``l`` holds the parameters of layer ``l + 1``.
    Weights start as N(0, 1/n_in) and biases as N(0, 1), drawn from ``seed``
    (Nielsen's initialisation).
    """

    def __init__(self, sizes, activation="sigmoid", output_activation=None,
                 cost="quadratic", seed=0, dtype=np.float64):
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
        self.output_activation = (self.activation if output_activation is None
                                  else get_activation(output_activation))
        self.cost_function = get_cost(cost)
        rng = np.random.default_rng(seed)
        self.weights = [rng.normal(0.0, 1.0 / np.sqrt(n_in), (n_out, n_in))
                        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])]
        self.biases = [rng.normal(0.0, 1.0, n_out) for n_out in self.sizes[1:]]

    # -- parameters -----------------------------------------------------------
    @property
    def L(self):
        """The number of layers with parameters (the output layer is layer L)."""
        return len(self.sizes) - 1

    @property
    def weights(self):
        return self._weights

    @weights.setter
    def weights(self, arrays):
        shapes = [(o, i) for i, o in zip(self.sizes[:-1], self.sizes[1:])]
        self._weights = ParameterList(self._layers(arrays, "weights"), shapes, "weights", self.dtype)

    @property
    def biases(self):
        return self._biases

    @biases.setter
    def biases(self, arrays):
        shapes = [(o,) for o in self.sizes[1:]]
        self._biases = ParameterList(self._layers(arrays, "biases"), shapes, "biases", self.dtype)

    def _layers(self, arrays, what):
        arrays = list(arrays)
        if len(arrays) != self.L:
            raise ShapeError(f"{what} needs one array per layer: {self.L}; got {len(arrays)}.")
        return arrays

    @property
    def sigmas(self):
        """The activation of each layer; index 0 (the input) is unused."""
        return [None] + [self.activation] * (self.L - 1) + [self.output_activation]

    def copy(self):
        """An independent copy with the same parameters."""
        new = Network.__new__(Network)
        new.__dict__.update(self.__dict__)
        new.weights, new.biases = list(self.weights), list(self.biases)
        return new

    def __repr__(self):
        return (f"Network({self.sizes}, activation={self.activation.name!r}, "
                f"output_activation={self.output_activation.name!r}, "
                f"cost={self.cost_function!r})")

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
            raise ShapeError(f"X has {X.shape[0]} rows but Y has {Y.shape[0]}; "
                             "they need one target row per example.")
        return X, Y

    # -- the forward pass, the cost and its gradients ---------------------------
    def feedforward(self, X):
        """Return ``zs, activations`` for every layer; index 0 is the input."""
        X = self.check_X(X)
        zs, activations = [None], [X]
        for W, b, sigma in zip(self.weights, self.biases, self.sigmas[1:]):
            z = weighted_input(activations[-1], W, b)
            zs.append(z)
            activations.append(sigma.fn(z))
        return zs, activations

    def forward(self, X):
        """The output activations :math:`a^L`, shape ``(n, sizes[-1])``."""
        a = self.check_X(X)
        for W, b, sigma in zip(self.weights, self.biases, self.sigmas[1:]):
            a = sigma.fn(weighted_input(a, W, b))
        return a

    def cost(self, X, Y):
        """The mean over the rows of the per-example cost :math:`C_k`."""
        X, Y = self.check_XY(X, Y)
        return float(np.mean(self.cost_function.fn(self.forward(X), Y)))

    def gradients(self, X, Y):
        """``grad_W, grad_b``: :math:`\\frac1n \\sum_k \\partial C_k/\\partial W`, by backprop."""
        X, Y = self.check_XY(X, Y)
        return backprop(self.weights, self.biases, self.sigmas, self.cost_function, X, Y)

    def predict(self, X):
        """Class labels: argmax of the outputs, or ``a > 0.5`` for one output."""
        a = self.forward(X)
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

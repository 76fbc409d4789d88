"""Notebook 10, your own backprop: the forward and the backward pass of a network of any depth.

The reader writes both functions from a blank cell, for any depth, an activation per layer
(a list ``sigmas`` indexed by layer) and any cost (BP1 from ``cost.grad_a``, the cost's
gradient with respect to the output activation). The checker runs them on networks of
several depths and widths (tanh, ReLU and sigmoid hidden layers; sigmoid and tanh outputs;
the quadratic and the cross-entropy cost), compares every layer with the right results
(stored in ``answers.json``) and, for the gradients, with central differences, and prints
one row per layer. When the answer is wrong it compares it with the stored results of the
bug zoo (deliberately broken variants, alone and in pairs, whose messages are below and
whose code is in the repository's ``exercises/reference/``, not installed) and names the
bug whose output matches. A function that calls bplib's own forward or backward pass
(under any name: an alias, a wrapper, notebook 09's ``backprop_with``), a cost's
ready-made output error (``cost.delta``) or PyTorch is refused: the calls are watched
while the reader's function runs (:class:`_Watched`, a :class:`.watch.Watch`).

The zoo is not in the exercises' ``bugs`` lists: each variant is checked layer by
layer here (``custom_check``), and ``tests/test_capstone.py`` has one student-style
function per zoo bug.
"""

from __future__ import annotations

import dis
import itertools
import linecache
import re

import numpy as np

import bplib

from . import watch
from .checker import (
    ATOL,
    RTOL,
    Bug,
    Exercise,
    TableFeedback,
    _Stop,
    feedback_for,
    register,
    usual_comparison,
)

# ----------------------------------------------------------------------------
# The test networks: several depths, widths, activations and costs
# ----------------------------------------------------------------------------
#: (sizes, hidden activations, output activation, cost, examples, seed); the hidden
#: activations are one name for every hidden layer or a tuple, one per hidden layer. Network 1
#: has equal widths, so that the bugs that only run on square matrices (a missing transpose,
#: σ′ of the next layer) run and can be named, tanh hidden layers under a sigmoid output,
#: so that one activation used for every layer (the sigmoid's σ′ hard-coded, or the next
#: layer's) is caught, and the quadratic cost. Networks 2 and 4 use the cross-entropy
#: cost, so that a memorised a − y in place of the cost's gradient is caught. Network 4's
#: three hidden layers each have their own activation (tanh, ReLU, sigmoid), so that layer
#: 1's activation used in every hidden layer is caught. The last network has no hidden layer
#: at all (L = 1: BP2 never runs).
NETWORKS = [
    ([4, 4, 4, 4], "tanh", "sigmoid", "quadratic", 5, 901),
    ([2, 3, 2], "relu", "sigmoid", "cross_entropy", 4, 902),
    ([3, 4, 4, 2], "sigmoid", "sigmoid", "quadratic", 6, 903),
    ([4, 5, 3, 3, 2], ("tanh", "relu", "sigmoid"), "sigmoid", "cross_entropy", 7, 904),
    ([3, 2], "tanh", "tanh", "quadratic", 3, 905),
]


def _activation_names(k):
    """The names of test network ``k``'s activations, layer 1 to L."""
    sizes, hidden, output, *_ = NETWORKS[k]
    L = len(sizes) - 1
    names = [hidden] * (L - 1) if isinstance(hidden, str) else list(hidden)
    assert len(names) == L - 1, (k, names)
    return names + [output]


def network_case(k):
    """``W, b, sigmas, cost, X, Y`` of test network ``k`` (seeded; index 0 of W, b, sigmas is None)."""
    sizes, _, _, cost, n, seed = NETWORKS[k]
    r = np.random.default_rng(seed)
    pairs = list(zip(sizes[:-1], sizes[1:]))
    W = [None] + [r.normal(0, 1.0, (o, i)) for i, o in pairs]
    b = [None] + [r.normal(0, 0.5, o) for _, o in pairs]
    X = r.normal(0, 1, (n, sizes[0]))
    Y = r.uniform(0, 1, (n, sizes[-1]))
    sigmas = [None] + [bplib.get_activation(name) for name in _activation_names(k)]
    return W, b, sigmas, bplib.get_cost(cost), X, Y


class LayerNetwork(bplib.Network):
    """A bplib.Network whose layers each have their own activation (``sigmas``, indexed by
    layer), for the test networks whose hidden layers differ; everything else is bplib's."""

    def __init__(self, sizes, sigmas, cost, seed=0):
        hidden = sigmas[1] if len(sizes) > 2 else sigmas[-1]
        super().__init__(
            sizes, activation=hidden, output_activation=sigmas[-1], cost=cost, seed=seed
        )
        self._layer_sigmas = list(sigmas)

    @property
    def sigmas(self):
        """The activation of each layer, as given; index 0 (the input) is None."""
        return list(self._layer_sigmas)

    def copy(self):
        new = super().copy()
        new.__class__ = LayerNetwork
        return new

    def __repr__(self):
        acts = ", ".join(s.name for s in self._layer_sigmas[1:])
        return f"LayerNetwork({self.sizes}, activations by layer [{acts}], cost={self.cost_function!r})"


def case_network(k):
    """``net, X, Y``: a network holding test network ``k``'s parameters and activations, and its data."""
    sizes, _, _, cost, _, _ = NETWORKS[k]
    W, b, sigmas, _, X, Y = network_case(k)
    net = LayerNetwork(sizes, sigmas, cost, seed=0)
    net.W, net.b = W, b
    return net, X, Y


def bplib_forward(W, b, sigmas, X):
    """bplib's forward pass with the signature of my_forward (for the notebook's experiments)."""
    return bplib.feedforward_layers(W, b, sigmas, X)


def _describe_network(k):
    """``[4, 4, 4, 4] (tanh-tanh-sigmoid, quadratic, 5 examples)``: the activations by layer."""
    sizes, _, _, cost, n, _ = NETWORKS[k]
    acts = "-".join(_activation_names(k))
    return f"{sizes} ({acts}, {cost.replace('_', '-')}, {n} examples)"


def forward_cases():
    return [(W, b, sigmas, X) for W, b, sigmas, _, X, _ in map(network_case, range(len(NETWORKS)))]


def backward_cases():
    out = []
    for k in range(len(NETWORKS)):
        W, b, sigmas, cost, X, Y = network_case(k)
        z, a = bplib_forward(W, b, sigmas, X)
        out.append((W, sigmas, cost, z, a, Y))
    return out


# ----------------------------------------------------------------------------
# The bug zoo: what each deliberately broken forward and backward pass gets wrong
# (the passes themselves are in exercises/reference/, their results in answers.json)
# ----------------------------------------------------------------------------
#: Said of a bug that runs on the square test network 1; cut when the reader's function
#: stopped with an error (on a network whose widths differ).
_SQUARE = " (on the square layers of this test network the shapes did not object)"

FORWARD_BUGS = {
    "no_transpose": "A missing transpose: `a[l - 1] @ W[l]` gives the wrong numbers"
    + _SQUARE
    + ". W^l is stored (n_l, n_{l−1}) and a^{l−1} is "
    "(n, n_{l−1}): which dimension of W^l must meet the columns of a^{l−1} in the product, "
    "and what does W^l need for that?",
    "no_bias": "The bias is missing: z^l has two terms, the weighted sum and b^l. Which one "
    "does your z[l] leave out?",
    "sigmoid_fixed": "Your forward pass uses the sigmoid in every layer, whatever `sigmas` "
    "says: this test network's hidden layers use tanh. Each layer has its own activation: "
    "which entry of `sigmas` belongs to layer l?",
    "last_sigma": "Your forward pass uses the output layer's activation, `sigmas[L]` (the "
    "sigmoid here), in every layer: this test network's hidden layers use tanh. Each layer "
    "has its own activation: which entry of `sigmas` belongs to layer l?",
    "first_sigma": "Your forward pass uses layer 1's activation, `sigmas[1]` (tanh here), in "
    "every layer: this test network's output layer uses the sigmoid. Each layer has its own "
    "activation: which entry of `sigmas` belongs to layer l?",
    "first_hidden_sigma": "Your forward pass uses layer 1's activation, `sigmas[1]`, in "
    "every hidden layer (the output layer's own is right): this test network's hidden layers "
    "each have their own (tanh, ReLU, sigmoid), so only layer 1 and the output layer's z^L "
    "come from the right numbers. Which entry of `sigmas` belongs to layer l?",
    "z_is_a": "Your z[l] holds the activation a^l, not the weighted input: z^l is the value "
    "before σ_l, a^l = σ_l(z^l) the value after it. Which of the two does your code put "
    "in the list z?",
    "sigma_twice": "σ is applied twice. z^l is the weighted input and a^l = σ_l(z^l): does "
    "your z[l] hold the value before σ or after it, and how many times does a[l] go "
    "through σ?",
    "input_every_layer": "Every layer is fed the input X. Layer l starts from the activation "
    "of which layer?",
    "linear_output": "The output layer has no activation. Is layer L any different from the "
    "others in the forward equations?",
    "loop_short": "An off-by-one in the layer loop: it stops one layer short, so layer L is "
    "missing. W has L + 1 entries, index 0 None: write out the values of l your `range` "
    "visits for L = 4 (its stop value is excluded). Is 4 among them?",
    "column_form": "The column form: W^l a^{l−1} is the product for ONE example stored as a "
    "column. Here each example is a ROW of a^{l−1}, (n, n_{l−1}), and W^l is stored "
    "(n_l, n_{l−1}). On which side of W^l must a row sit, and must W^l be transposed for "
    "the shapes to meet? ((AB)ᵀ = BᵀAᵀ.)",
    "swapped_lists": "Your two lists come back in the wrong order: the first one holds the "
    "activations a^l and the second the weighted inputs z^l. In what order does the statement "
    "ask for them, and in what order does your `return` give them?",
    "lists_from_1": "The lists start at layer 1. Like W and b they are indexed by layer: "
    "what must index 0 of z and of a hold, so that layer l sits at index l?",
}

BACKWARD_BUGS = {
    "z_above": "σ′ at the wrong z: your BP2 takes the right layer's σ′, but at the weighted "
    "input of the layer the error comes from. Stepping from Δ^l down to Δ^{l−1}, it "
    "evaluates σ_{l−1}′ at Z^l. Δ^{l−1} is ∂C/∂Z^{l−1}: at which layer's weighted input must "
    "σ_{l−1}′ be evaluated?",
    "next_z": "σ′ at the wrong layer: your BP2 takes σ′ of the layer the error comes from, "
    "at that layer's z. Stepping from Δ^l down to Δ^{l−1}, it multiplies by σ_l′(Z^l), "
    "though the step arrives at layer l − 1. Δ^{l−1} is the error of layer l − 1: whose "
    "activation's derivative does it need, and at which layer's Z?",
    "last_z": "σ′ at the wrong layer: BP2 takes σ_L′(z^L) in every layer, the note's slip "
    "(notebook 06). Stepping from Δ^l down to Δ^{l−1}, the new error belongs to layer "
    "l − 1: whose σ′ (which entry of `sigmas`), at which layer's Z?",
    "sigma_next": "An off-by-one in the list of activations: your BP2 evaluates σ′ at the "
    "right Z, but with the activation of the layer the error comes from. Stepping from Δ^l "
    "down to Δ^{l−1}, it takes layer l's σ′ at Z^{l−1} (this test network's hidden layers "
    "use tanh, its output the sigmoid). Which entry of `sigmas` belongs to layer l − 1, the "
    "layer whose error the step computes?",
    "prime_of_a": "σ′ is taken of the activation, σ′(a^l), in every layer. The chain rule "
    "differentiates a^l = σ_l(z^l) with respect to z^l: at which point must σ_l′ be "
    "evaluated?",
    "prime_of_a_output": "BP1 takes σ_L′ of the activation, σ_L′(a^L). The chain rule "
    "differentiates a^L = σ_L(z^L) with respect to z^L: at which point must σ_L′ be "
    "evaluated? (Your BP2 gets it right.)",
    "prime_of_a_hidden": "BP2 takes σ_l′ of the activation, σ_l′(a^l) (your BP1 gets it "
    "right). The chain rule differentiates a^l = σ_l(z^l) with respect to z^l: at which "
    "point must σ_l′ be evaluated?",
    "sigmoid_prime": "Your function uses the sigmoid's σ′ in every layer, whatever `sigmas` "
    "says: this test network's hidden layers use tanh. Which entry of `sigmas` belongs to "
    "layer l?",
    "last_sigma_prime": "Your function uses the output layer's σ′, `sigmas[L].prime` (the "
    "sigmoid's here), in every layer: this test network's hidden layers use tanh. Which "
    "entry of `sigmas` belongs to layer l?",
    "first_sigma_prime": "Your function uses layer 1's σ′, `sigmas[1].prime` (tanh's here), "
    "in every layer: this test network's output layer uses the sigmoid. Which entry of "
    "`sigmas` belongs to layer l?",
    "first_hidden_prime": "Your function uses layer 1's σ′, `sigmas[1].prime`, in every "
    "hidden layer (BP1 takes the output layer's own, as it should): this test network's "
    "hidden layers each have their own activation (tanh, ReLU, sigmoid). Stepping from Δ^l "
    "down to Δ^{l−1}, which entry of `sigmas` belongs to layer l − 1, the layer the step "
    "arrives at?",
    "a_times_1_minus_a": "Your function uses a(1 − a) for σ′: that is the sigmoid's "
    "derivative only (this test network's hidden layers use tanh). What does each layer's "
    "activation object offer for its own derivative?",
    "no_prime_output": "BP1 misses a factor. δ^L is ∂C/∂z^L while the cost's gradient is "
    "with respect to a^L: what does the chain rule add between a^L and z^L?",
    "no_prime_hidden": "BP2 misses a factor. Stepping from Δ^l down to Δ^{l−1}, the error "
    "carried back through the weights is ∂C/∂A^{l−1}, and Δ^{l−1} is ∂C/∂Z^{l−1}: what does "
    "the chain rule add between A^{l−1} and Z^{l−1}?",
    "wrong_weights": "The weights of the wrong layer: your BP2 carries the error down through "
    "the weights of the layer below. Stepping from Δ^l down to Δ^{l−1}, it multiplies by "
    "W^{l−1}, which connects layers l − 2 and l − 1"
    + _SQUARE
    + ". The error goes back along the connections the signal came up by: which weight "
    "matrix took A^{l−1} into Z^l in the forward pass?",
    "no_transpose": "A missing transpose, turned around: a transpose too many"
    + _SQUARE
    + ". In the column form BP2 carries the error back through (W^l)ᵀ, but here each "
    "example is a ROW of Δ^l, (n, n_l), and W^l is stored (n_l, n_{l−1}). Write the shapes: "
    "which product gives Δ^{l−1} its (n, n_{l−1}), and does the transpose survive when the "
    "whole equation is transposed ((AB)ᵀ = BᵀAᵀ)?",
    "no_mean": "A missing 1/n: every gradient is n times the right one, a sum over the n "
    "examples where C is their mean. `cost.grad_a` has no 1/n in it: where must yours go?",
    "no_mean_W": "A missing 1/n in BP4: your ∂C/∂W^l is n times the right one while "
    "∂C/∂b^l is right. The product adds up one term per example: what must the sum be "
    "divided by to give the gradient of a mean?",
    "no_mean_b": "A missing 1/n in BP3: your ∂C/∂b^l is n times the right one, the sum of "
    "δ^l over the rows. C is a mean: sum or mean?",
    "a_minus_y": "BP1 starts from a^L − y, which is the gradient of the quadratic cost "
    "only: test networks 2 and 4 use the cross-entropy cost. Which argument of your function "
    "knows the gradient of whatever cost is passed in? (`cost.grad_a(a[L], Y)`, in the "
    "statement.)",
    "sign": "The sign: every gradient is minus the right one, so gradient descent would "
    "climb the cost. `cost.grad_a` is ∇_a C_i as it is: where does your extra minus come "
    "from (a^L − y or y − a^L)?",
    "factor_2": "δ^L carries a factor 2: every gradient is twice the right one. "
    "`cost.grad_a` is ∇_a C_i as it is: does the ½ of C_i = ½‖a^L_i − y_i‖² leave a 2 to "
    "add?",
    "bp2_stops_early": "An off-by-one in the BP2 loop: it stops at layer 2, so δ^1 is never "
    "computed and layer 1 gets no gradient (zero). Write out the values of l your `range` "
    "visits for L = 4 (its stop value is excluded): is 1 among them?",
    "layer1_delta2": "An off-by-one in the one-error loop: its last step of BP2 is skipped, "
    "so layer 1's gradients are computed from δ^2, the error of layer 2 (this test "
    "network's layers are square, so the shapes did not catch it). Write out the values of l "
    "at which your loop steps down for L = 3: does it step down from δ^2 to δ^1?",
    "layer1_missing": "An off-by-one in the one-error loop: it stops before layer 1, so "
    "layer 1 gets no gradient (None, or the zeros it started with) on every test network, "
    "the one with L = 1 too (there layer 1 is layer L, and your loop never runs). Write out "
    "the values of l your `range` visits for L = 3 and for L = 1 (its stop value is "
    "excluded): is 1 among them?",
    "grad_loop_short": "An off-by-one in the gradient loop: it stops one layer short, so "
    "layer L has no gradient. Write out the values of l your `range` visits for L = 4: is "
    "4 among them?",
    "a_l": "An off-by-one in BP4: your ∂C/∂W^l uses a[l]. W^l carries the signal into "
    "layer l from which layer, and whose activation is its input?",
    "grad_W_transposed": "∂C/∂W^l is transposed: your product has the shape (n_{l−1}, n_l), "
    "where W^l is stored (n_l, n_{l−1}); on this network every layer is square, so only "
    "the numbers give it away. A gradient has the shape of its parameter, one row per "
    "neuron of layer l: which of δ^l and a^{l−1} has one column per neuron of layer l, "
    "and so which factor must come first, transposed?",
    "bias_axis_1": "∂C/∂b^l is averaged over the wrong axis: your reduction runs along each "
    "row, over the n_l neurons of one example, and gives one number per example, shape "
    "(n,), where b^l is (n_l,). BP3 averages over the examples: which axis of δ^l, stored "
    "(n, n_l), counts the examples?",
    "swapped_lists": "Your two lists come back in the wrong order: the first one holds the "
    "bias gradients and the second the weight gradients. In what order does the statement "
    "ask for them, and in what order does your `return` give them?",
}

#: Bugs that change the same piece of the code: a pair within one group is not tried.
_GROUPS = [
    {
        "z_above",
        "next_z",
        "last_z",
        "sigma_next",
        "prime_of_a",
        "prime_of_a_hidden",
        "no_prime_hidden",
        "a_times_1_minus_a",
        "first_hidden_prime",
    },
    {"prime_of_a", "prime_of_a_output", "prime_of_a_hidden", "no_prime_output"},
    {"no_mean", "no_mean_W", "no_mean_b", "bias_axis_1"},
    {"a_l", "grad_W_transposed"},
    {"wrong_weights", "no_transpose"},
    {
        "sigmoid_prime",
        "last_sigma_prime",
        "first_sigma_prime",
        "first_hidden_prime",
        "a_times_1_minus_a",
    },
    {"bp2_stops_early", "grad_loop_short", "layer1_delta2", "layer1_missing"},
]
_FORWARD_GROUPS = [
    {"no_transpose", "input_every_layer"},
    {"sigmoid_fixed", "last_sigma", "first_sigma", "first_hidden_sigma", "linear_output"},
    {"sigma_twice", "z_is_a", "swapped_lists"},
]


#: The bugs that notebook 10's predict-then-run cells plant with :func:`backward_variant`.
DEMO_BUGS = ("bp2_stops_early", "sigma_next", "factor_2", "sign", "no_mean", "no_prime_hidden")


def backward_variant(bugs):
    """A backward pass with my_backward's signature and one bug of DEMO_BUGS planted.

    Built from bplib's public BP1-BP4 (the checker's own bug zoo is not installed):
    for the notebook's experiments, which train with a broken backward pass.
    """
    (bug,) = bugs
    if bug not in DEMO_BUGS:
        raise ValueError(f"backward_variant plants one of {DEMO_BUGS}, not {bug!r}")

    def fn(W, sigmas, cost, z, a, Y):
        L, n = len(W) - 1, len(Y)
        delta = [np.zeros_like(zl) if zl is not None else None for zl in z]
        delta[L] = cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])
        delta[L] = {"factor_2": 2.0, "sign": -1.0}.get(bug, 1.0) * delta[L]
        for l in range(L - 1, 1 if bug == "bp2_stops_early" else 0, -1):
            hidden = {"no_prime_hidden": bplib.identity, "sigma_next": sigmas[l + 1]}.get(
                bug, sigmas[l]
            )
            delta[l] = bplib.backpropagate_error(delta[l + 1], W[l + 1], z[l], hidden)
        scale = n if bug == "no_mean" else 1
        grad_W = [None] + [
            scale * bplib.weight_gradient(delta[l], a[l - 1]) for l in range(1, L + 1)
        ]
        grad_b = [None] + [scale * bplib.bias_gradient(delta[l]) for l in range(1, L + 1)]
        return grad_W, grad_b

    return fn


def _combos(keys, groups):
    """Every single bug, then every pair of bugs from different groups."""
    out = [(k,) for k in keys]
    for pair in itertools.combinations(keys, 2):
        if not any(set(pair) <= g for g in groups):
            out.append(pair)
    return out


def _message(combo, messages):
    if len(combo) == 1:
        return "This looks like one bug. " + messages[combo[0]]
    return f"This looks like two bugs: (1) {messages[combo[0]]} (2) {messages[combo[1]]}"


# ----------------------------------------------------------------------------
# Comparing layer by layer
# ----------------------------------------------------------------------------
def _close(x, y):
    return (
        isinstance(x, np.ndarray)
        and isinstance(y, np.ndarray)
        and x.shape == y.shape
        and bool(np.allclose(x, y, rtol=RTOL, atol=ATOL))
    )


def _same(got, want):
    """Two results (tuples of per-layer tuples) agree everywhere, None where None."""
    if not (isinstance(got, tuple) and len(got) == len(want)):
        return False
    for g, w in zip(got, want):
        if not (isinstance(g, tuple) and isinstance(w, tuple) and len(g) == len(w)):
            return False
        for gl, wl in zip(g, w):
            if wl is None or gl is None:
                if not (wl is None and gl is None):
                    return False
            elif not _close(gl, wl):
                return False
    return True


def _none_as_zero(name, got, want):
    """``got`` with a None at layer 1 read as zeros, for matching the zoo: a one-error loop
    that stops before layer 1 leaves the None its gradient lists started with there."""
    if name != "my_backward" or not isinstance(got, tuple) or len(got) != len(want):
        return got
    out = []
    for g, w in zip(got, want):
        if isinstance(g, (list, tuple)) and len(g) == len(w) and len(w) > 1:
            if g[1] is None and w[1] is not None:
                g = (g[0], np.zeros_like(w[1]), *g[2:])
        out.append(g)
    return tuple(out)


def _zoo_same(name, variant, got, want):
    """The reader's result is a zoo variant's, reading a None at layer 1 as zeros if need be."""
    return _same(variant, got) or _same(variant, _none_as_zero(name, got, want))


def _layer_entry(got, l):
    if not isinstance(got, tuple) or l >= len(got):
        return "missing"
    return got[l]


def _cell(g, w, num=None):
    """One table cell: 'ok', 'r = 0.081', 'missing', 'None' or 'shape (3, 4)'."""
    if isinstance(g, str) or g is None:
        return "missing" if isinstance(g, str) else "None"
    if g.shape != w.shape:
        return f"shape {g.shape}"
    if num is not None:
        r = bplib.relative_error(g, num)
        return "ok" if r < 1e-6 else f"r = {r:.2g}"
    if _close(g, w):
        return "ok"
    return f"r = {bplib.relative_error(g, w):.2g}"


def _table(k, got, want, labels, numeric=None):
    """Fixed-width rows, one per layer, for test network ``k``."""
    L = len(NETWORKS[k][0]) - 1
    cols = []
    for label in labels:
        cols.append(f"{label} vs bplib")
        if numeric is not None:
            cols.append(f"{label} vs c.d.")
    head = "  layer  " + "".join(f"{c:<18}" for c in cols)
    rows = [f"Test network {_describe_network(k)}, layer by layer:", head.rstrip()]
    for l in range(1, L + 1):
        cells = []
        for i in range(len(labels)):
            g = _layer_entry(got[i] if isinstance(got, tuple) and i < len(got) else None, l)
            cells.append(_cell(g, want[i][l]))
            if numeric is not None:
                cells.append(_cell(g, want[i][l], numeric[i][l]))
        rows.append((f"  {l:<7}" + "".join(f"{c:<18}" for c in cells)).rstrip())
    if numeric is not None:
        rows.append(
            "  (r: relative error; c.d.: central differences of the cost; ok: r < 1e-6 "
            "or equal to bplib within rounding)"
        )
    return "\n".join(rows)


def _shape_text(got):
    parts = []
    for g in got:
        if isinstance(g, tuple):
            parts.append(f"a list of length {len(g)}")
        elif g is None:
            parts.append("None")
        else:
            parts.append(f"an array of shape {g.shape}")
    return " and ".join(parts)


def _bad_layers(got, want):
    """The layers l where some list of ``got`` differs from ``want``."""
    bad = []
    for l in range(1, len(want[0])):
        for i in range(len(want)):
            g = _layer_entry(got[i] if isinstance(got, tuple) and i < len(got) else None, l)
            if isinstance(g, str) or g is None or not _close(g, want[i][l]):
                bad.append(l)
                break
    return bad


# ----------------------------------------------------------------------------
# Using bplib instead of writing it: the watch on the reader's calls (watch.py)
# ----------------------------------------------------------------------------
_codes = watch.codes
_library_codes = watch.library_codes


class _Watched(watch.Watch):
    """The reader's function, called with a watch on bplib's own forward and backward pass
    (:func:`watch.library_codes`, under any name) and on PyTorch: ``allow`` takes functions
    out of the forbidden ones, ``forbid`` adds more."""

    def __init__(self, fn, allow=(), forbid=()):
        forbidden = (watch.library_codes() | watch.codes(*forbid)) - watch.codes(*allow)
        super().__init__(fn, forbidden)


def _library_feedback(checker, used):
    return watch.refusal(
        checker,
        used,
        "(bplib's activations and costs, `.fn`, `.prime` and `cost.grad_a`, are fine.)",
    )


# ----------------------------------------------------------------------------
# The whole-function checks
# ----------------------------------------------------------------------------
#: A cost's ready-made output error: BP1 itself, δ^L = ∇_a C ⊙ σ_L′(z^L), which exercise
#: 10.2 asks the reader to write from ``cost.grad_a`` and ``sigmas[L].prime``.
_COST_DELTAS = tuple(type(c).delta for c in bplib.costs.COSTS.values())


def _check_by_layer(checker, **kwargs):
    """Check layer by layer, with the calls into bplib watched; never raise."""
    watched = _Watched(checker.fn, forbid=_COST_DELTAS)
    checker.fn = watched
    _CURRENT.clear()
    _CURRENT["fn"], _CURRENT["used"] = watched.fn, watched.used
    reads = _notebook_globals(watched.fn)
    try:
        feedback = _check_compared(checker, **kwargs)
    except _Stop as stop:
        if watched.used:
            return _library_feedback(checker, watched.used)
        _global_sentence(stop.feedback, reads)
        raise stop from None
    finally:
        checker.fn = watched.fn
        _CURRENT.clear()
    if watched.used:
        return _library_feedback(checker, watched.used)
    return _global_sentence(feedback, reads)


#: The reader's function being checked (for the offending line of an exception) and the
#: list of library calls noted while it runs.
_CURRENT = {}


def _notebook_globals(fn):
    """The names of the notebook's data (numbers, arrays, lists) that ``fn`` reads as globals.

    A function that reads the notebook's ``L`` or ``n`` instead of taking them from its
    arguments passes on the notebook's own network and fails on the test networks.
    """
    space = getattr(fn, "__globals__", None) or {}
    names = []
    for code in _codes(fn):
        for ins in dis.get_instructions(code):
            name = ins.argval
            if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME") and name in space:
                value = space[name]
                data = isinstance(value, (int, float, np.ndarray, list, tuple, np.number))
                if data and not isinstance(value, bool) and name not in names:
                    names.append(name)
    return [(n, space[n]) for n in names]


def _value_text(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)}"
    return f"= {value:g}" if isinstance(value, float) else f"= {value}"


def _global_sentence(feedback, reads):
    """Put first, in a wrong answer's feedback, the notebook globals the function reads."""
    if not reads or feedback.passed:
        return feedback
    what = ", ".join(f"`{n}` ({_value_text(v)})" for n, v in reads)
    word = "global" if len(reads) == 1 else "globals"
    feedback.message = (
        f"Your function reads the notebook's {word} {what}, not its own arguments: the "
        "test networks are not the notebook's, so take everything from the arguments (the "
        "depth from `len(W)`, the number of examples from the rows of `Y` or `X`). "
        + feedback.message
    )
    feedback.bug = feedback.bug or "notebook_global"
    return feedback


def _offending_line(e):
    """The line of the reader's function where exception ``e`` was raised, or None."""
    fn = _CURRENT.get("fn")
    codes = _codes(fn) if fn is not None else set()
    tb, found = e.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code in codes:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    if found is None:
        return None
    line = linecache.getline(*found).strip()
    return line or None


_NONE_ADVICE = (
    " Something in it is None: index 0 of the lists (the input layer) holds None, "
    "and so does any layer your loop never reached."
)
_SHAPE_ADVICE = (
    " Two arrays whose shapes do not fit met there. Write the shape of each factor "
    "of that line (rows are examples, W^l is stored (n_l, n_{l−1})): which side "
    "of the product must each sit on, is a transpose misplaced, and is the product "
    "`@` or element-wise `*`?"
)
_INDEX_ADVICE = (
    " An index past the end of a list: the lists have L + 1 entries, indices 0 .. L, "
    "with L = len(W) − 1 on each test network. Which indices does your loop reach?"
)


#: ``W[l + 1]`` in a line with no other ``[l + 1]``: 10.2's step down from Δ^l through the
#: weights above layer l (there are none above layer L), where W^l belongs.
_ABOVE = re.compile(r"W\[\s*l\s*\+\s*1\s*\]")
_OTHER_ABOVE = re.compile(r"\[\s*l\s*\+\s*1\s*\]")
WEIGHTS_ABOVE = (
    "In a loop that steps from Δ^l down to Δ^{l−1}, `W[l + 1]` is the weights of the layer "
    "above layer l, and at l = L there is none: the weights of the wrong layer. Which weight "
    "matrix connects layer l − 1 to layer l?"
)


def _named_error(feedback, named, messages, prefix=""):
    """An error's feedback once zoo bug ``named`` raises the same exception: the bug's
    diagnosis first (without the remark on square layers: this function stopped), then
    what happened, without the general advice on that kind of error."""
    said = feedback.message
    for advice in (_NONE_ADVICE, _SHAPE_ADVICE, _INDEX_ADVICE):
        said = said.replace(advice, "")
    if prefix:
        said = prefix + _continued(said)
    feedback.message = (
        "This looks like one bug. " + messages[named].replace(_SQUARE, "") + " " + said
    )
    feedback.bug = named
    return feedback


def _raised(e, args):
    """The message for an exception: its text, the line of the reader's code it came from,
    and a question on what that kind of error usually means here (never the fixed code)."""
    text = f"{type(e).__name__}: {e}"[:300].strip()
    called = re.search(r"(\w+\.delta)\(\)", str(e))
    if isinstance(e, TypeError) and called and "used" in _CURRENT:
        _CURRENT["used"].append(f"bplib's `{called.group(1)}`")
    line = _offending_line(e)
    msg = f"It raised {text}" + (f", in this line of your function: `{line}`." if line else ".")
    low = str(e).lower()
    if "nonetype" in low:
        msg += _NONE_ADVICE
    elif "broadcast" in low or "matmul" in low or "shapes" in low or "aligned" in low:
        msg += _SHAPE_ADVICE
    elif isinstance(e, IndexError):
        above = line and _ABOVE.search(line) and not _OTHER_ABOVE.search(_ABOVE.sub("", line))
        msg += " " + WEIGHTS_ABOVE if above else _INDEX_ADVICE
    elif isinstance(e, NameError):
        msg += " A name is not defined: is it imported, or defined in a cell not run yet?"
    elif isinstance(e, TypeError) and "argument" in low:
        msg += " Check the arguments of that call against the names the statement gives."
    return msg


def _check_compared(checker, **kwargs):
    """Check layer by layer; whatever the student's function returns, never raise."""
    try:
        return _check_layers(checker, **kwargs)
    except _Stop:
        raise
    except Exception:  # noqa: BLE001 - a result too odd to compare layer by layer
        return checker.feedback(
            "wrong",
            f"Your function returned something the check cannot compare layer by layer. "
            f"{checker.ex.name} returns two lists indexed by layer, each of length L + 1: "
            "index 0 for the input layer, then one array per layer l = 1 .. L.",
            "shape",
            checker.ex.hints[:1],
        )


#: The names of the two lists each exercise returns, for the messages.
_LISTS = {"my_forward": ("z", "a"), "my_backward": ("grad_W", "grad_b")}


def _index0_message(name, got, want, where):
    """A sentence on index 0 of the returned lists when it breaks the contract, else None."""
    wrong = []
    for label, g, w in zip(_LISTS[name], got, want):
        g0, w0 = g[0], w[0]
        if w0 is None and g0 is not None:
            wrong.append(f"{label}[0] holds {_shape_text((g0,))}")
        elif w0 is not None and g0 is None:
            wrong.append(f"{label}[0] is None")
        elif w0 is not None and not _close(g0, w0):
            what = _shape_text((g0,)) if isinstance(g0, np.ndarray) else "something else"
            wrong.append(f"{label}[0] is {what}, not the input X")
    if not wrong:
        return None
    if name == "my_forward":
        rule = (
            "z[0] is None (the input layer has no weighted input) and a[0] is the input X "
            "itself, a^0 = X, the activation layer 1 starts from"
        )
    else:
        rule = "grad_W[0] and grad_b[0] are None: the input layer has no parameters"
    rest = (
        " Layers 1 .. L are right, as the table shows."
        if not where
        else where + " Fix index 0 first, then look at those layers."
    )
    return (
        f"Index 0 of your lists breaks the contract of the lists indexed by layer: "
        f"{rule}. In yours, {' and '.join(wrong)}.{rest}"
    )


def _unexplained_elsewhere(checker, cases, k0, messages, prefix):
    """After an unexplained difference on network ``k0`` (square layers): the first later
    network where the reader's function raises, returns wrong shapes or matches a zoo bug,
    as feedback whose message starts with ``prefix``; None if there is none.

    A bug that turns a product around (the column form's transpose kept, a transposed
    gradient) runs on square layers and gives numbers no bug of the zoo explains; on a
    network with unequal widths it raises or gives a transposed shape, which says more.
    """
    ex, name = checker.ex, checker.ex.name
    for k in range(k0 + 1, len(cases)):
        checker.index = k
        which = f"on test network {k + 1}, {_describe_network(k)}"
        want = checker.expected(cases[k])
        try:
            got = checker.student(cases[k], which)
        except _Stop as stop:
            fb = stop.feedback
            named = _error_bug(checker, cases[k], messages) if fb.status == "error" else None
            if named is not None:
                return _named_error(fb, named, messages, prefix)
            fb.message = prefix + _continued(fb.message)
            return fb
        if not (isinstance(got, tuple) and len(got) == len(want)) or _same(got, want):
            continue
        if not all(isinstance(g, tuple) and len(g) == len(w) for g, w in zip(got, want)):
            continue
        if _wrong_shapes(got, want):
            msg = prefix + _continued(
                _shape_sentence(name, which, _where(_bad_layers(got, want)), _turned(got, want))
            )
            table = _table(k, got, want, _LABELS[name], None)
            return TableFeedback(name, "wrong", msg, "shape", ex.hints[:1], table)
    return None


def _continued(message):
    """``message`` as the continuation of a sentence: "it raised ...", "some layers ..."."""
    if message.startswith("Your function "):
        return "it " + message[len("Your function ") :]
    return message[:1].lower() + message[1:]


_LABELS = {"my_forward": ("z^l", "a^l"), "my_backward": ("dC/dW^l", "dC/db^l")}


def _wrong_shapes(got, want):
    return any(
        isinstance(gl, np.ndarray) and isinstance(wl, np.ndarray) and gl.shape != wl.shape
        for g, w in zip(got, want)
        for gl, wl in zip(g, w)
    )


def _turned(got, want):
    """Every array of the wrong shape has the right shape turned around (and is 2-D)."""
    pairs = [
        (gl.shape, wl.shape)
        for g, w in zip(got, want)
        for gl, wl in zip(g, w)
        if isinstance(gl, np.ndarray) and isinstance(wl, np.ndarray) and gl.shape != wl.shape
    ]
    return bool(pairs) and all(len(w) == 2 and g == w[::-1] for g, w in pairs)


def _shape_sentence(name, which, where, turned=False):
    if name == "my_forward":
        rule = "each z^l and a^l is (n, n_l), one row per example"
    else:
        rule = "each gradient has the shape of its parameter (W^l is stored (n_l, n_{l−1}))"
    return (
        f"Some layers of your result have the wrong shape {which}.{where} The table "
        f"shows the shapes that differ: {rule}. Write the shape of every factor next to "
        "it: is a transpose misplaced, or a sum missing?"
        + (
            " Here every wrong shape is the right one turned around: the factors of a "
            "product are in the wrong order, or a transpose is one too many."
            if turned
            else ""
        )
    )


def _where(bad):
    if not bad:
        return ""
    word = "layer" if len(bad) == 1 else "layers"
    return f" On this network the check flags {word} {', '.join(map(str, bad))}."


def _check_layers(checker, *, labels, messages, groups, numeric):
    ex, name = checker.ex, checker.ex.name
    cases, first = ex.cases(), None
    for k, args in enumerate(cases):
        checker.index = k
        which = "on the first test network" if k == 0 else f"on test network {k + 1}"
        which += f", {_describe_network(k)}"
        want = checker.expected(args)
        try:
            got = checker.student(args, which)
        except _Stop as stop:
            fb = stop.feedback
            named = _error_bug(checker, args, messages) if fb.status == "error" else None
            if named is not None:
                _named_error(fb, named, messages)
            elif fb.status == "error" and "NoneType" in fb.message:
                fb.message += (
                    " If it is not index 0, check the loop bounds (an off-by-one): write out "
                    f"the values of l each `range` visits here (L = {len(args[0]) - 1}) and "
                    "for L = 1 (its stop value is excluded). Does BP2 reach layer 1, and do "
                    "the gradients cover every layer 1 .. L?"
                )
                fb.bug = fb.bug or "off_by_one"
            raise
        if not (isinstance(got, tuple) and len(got) == len(want)):
            return checker.feedback(
                "wrong", checker.shape_message(got, want), "shape", ex.hints[:1]
            )
        num = numeric(k) if numeric else None
        if k == 0:
            first = got
        if _same(got, want):
            continue
        table = _table(k, got, want, labels, num)
        where = _where(_bad_layers(got, want))
        matches = [
            combo
            for combo in _combos(list(messages), groups)
            if (variant := checker.answers.zoo(combo, k)) is not None
            and _zoo_same(name, variant, got, want)
        ]
        if matches:
            combo, msg = _named(checker, cases, k, matches, messages, where)
            checker.index = k
            return TableFeedback(name, "wrong", msg, "+".join(combo), (), table)
        if k == 0:
            state = checker.repeat_differs(args, got)
            if state is not None:
                return state
        lengths = [len(w) for w in want]
        if not all(isinstance(g, tuple) and len(g) == n for g, n in zip(got, lengths)):
            msg = (
                f"Your function returned {_shape_text(got)}, but the answer is two lists "
                f"indexed by layer, each of length L + 1 = {lengths[0]} {which}: index 0 "
                "is the input layer and layer l is at index l, for l = 1 .. L."
            )
            return TableFeedback(name, "wrong", msg, "shape", ex.hints[:1], table)
        index0 = _index0_message(name, got, want, where)
        if index0 is not None:
            return TableFeedback(name, "wrong", index0, "index_0", ex.hints[:1], table)
        hints = ex.hints[:1]
        if _wrong_shapes(got, want):
            keep = _kept_row_axis(name, got, want)
            msg = keep or _shape_sentence(name, which, where, _turned(got, want))
            hints = ex.hints[2:3] if keep else hints
        elif k == 0:
            msg = (
                f"Your function gives different values from bplib {which}.{where} No bug of "
                "the zoo matches it; the table shows which layers differ."
            )
            pattern = _pattern(name, got, want, len(args[-1]))
            if pattern is not None:
                msg += " " + pattern[0]
                hints = ex.hints[pattern[1] : pattern[1] + 1]
            if len(set(NETWORKS[k][0])) == 1:  # square layers: a turned product runs
                prefix = (
                    f"Your function gives different values from bplib {which}, whose layers "
                    f"are all square, and no bug of the zoo matches them there.{where} On a "
                    "network with unequal widths it goes wrong in a way that says more: "
                )
                later = _unexplained_elsewhere(checker, cases, 0, messages, prefix)
                if later is not None:
                    return later
                checker.index = k
        else:
            msg = "It was right on the networks before this one, but not " + which + "." + where
            msg += " Look for something that works only for some depths or widths."
            pattern = _pattern(name, got, want, len(args[-1]))
            if pattern is not None:
                msg += " " + pattern[0]
                hints = ex.hints[pattern[1] : pattern[1] + 1]
        return TableFeedback(name, "wrong", msg, None, hints, table)
    checker.index = 0
    state = checker.repeat_differs(cases[0], first)
    if state is not None:
        return state
    return TableFeedback(name, "correct", ex.correct, None, (), _summary(labels, numeric))


_RAISED = object()  # a later network on which the reader's function raised


def _later_results(checker, cases, k):
    """The reader's results on the test networks after network ``k`` (``_RAISED`` where it raises)."""
    out = {}
    for j in range(k + 1, len(cases)):
        checker.index = j
        try:
            with np.errstate(all="ignore"):
                out[j] = checker.student(cases[j], f"on test network {j + 1}")
        except _Stop:
            out[j] = _RAISED
    return out


def _first_misfit(checker, combo, later):
    """The first later network where the reader's result is not what ``combo`` gives, or None.

    A network where the bug's own variant is not stored (it raised there) says nothing."""
    for j, got in later.items():
        variant = checker.answers.zoo(combo, j)
        if variant is None:
            continue
        want = checker.answers.expected(j)
        if got is _RAISED or not _zoo_same(checker.ex.name, variant, got, want):
            return j
    return None


def _named(checker, cases, k, matches, messages, where):
    """The bugs named for a result that ``matches`` (zoo combos, fewest bugs first) explain on
    network ``k``: the first combo that also explains every later network; if none does, the
    first, said to be what *this* network shows, with the network where more appears.

    A bug can be invisible on a network (a memorised a − y on a quadratic cost, an
    off-by-one on L = 1), so a two-bug answer can look like one bug on the first network.
    """
    later = _later_results(checker, cases, k)
    misfits = {combo: _first_misfit(checker, combo, later) for combo in matches}
    for combo in matches:
        if misfits[combo] is None:
            msg = _message(combo, messages) + where
            first = matches[0]
            if len(first) < len(combo) and set(first) < set(combo):
                j = misfits[first]
                hidden = [f"({i})" for i, c in enumerate(combo, 1) if c not in first]
                msg += (
                    f" Only {' and '.join(f'({combo.index(c) + 1})' for c in first)} changes "
                    f"this network's numbers; {' and '.join(hidden)} shows from test network "
                    f"{j + 1}, {_describe_network(j)}, on."
                )
            return combo, msg
    combo = matches[0]
    j = misfits[combo]
    count = "one bug" if len(combo) == 1 else f"{len(combo)} bugs"
    this = _message(combo, messages).replace(
        f"This looks like {'one bug.' if len(combo) == 1 else count + ':'}",
        f"On this network it looks like {count}{'.' if len(combo) == 1 else ':'}",
        1,
    )
    later_j = later[j]
    if later_j is not _RAISED and _same(later_j, checker.answers.expected(j)):
        # right on network j, where this bug alone would not be: a bug of the same kind,
        # not a second one
        return combo, this + where
    return combo, (
        this
        + where
        + f" It is not the only one: on test network {j + 1}, {_describe_network(j)}, your "
        "result differs from what this bug alone gives, so at least one more bug shows only "
        "there (that network's cost, depth or widths make it visible). Fix the one named "
        "here, run the check again, and it will look at the next."
    )


def _pattern(name, got, want, n):
    """For a wrong answer no bug of the zoo explains: (a sentence on the pattern of the
    differences, the index of the hint that fits it), or None."""
    L = len(want[0]) - 1
    if name == "my_forward":
        for l in range(1, L + 1):  # the first layer that differs: z^l right, a^l not?
            z_ok, a_ok = (_close(got[i][l], want[i][l]) for i in (0, 1))
            if z_ok and not a_ok:
                return (
                    f"At layer {l}, the first that differs, z^{l} is right and a^{l} is not: "
                    "the product and the bias are right there, so look at the activation "
                    f"applied to z^{l}, not at the product.",
                    0,
                )
            if not (z_ok and a_ok):
                break
        if L > 1 and all(_close(g[1], w[1]) for g, w in zip(got, want)):
            return (
                "Layer 1 is right and a later one is not: what does a later layer take "
                "from the layer before it that layer 1 takes from X?",
                0,
            )
        return None
    pairs = [(g[l], w[l]) for g, w in zip(got, want) for l in range(1, L + 1)]
    factor = _common_factor(pairs)
    if factor is not None:
        why = ""
        if np.isclose(factor, 1 / n):
            why = f" That is 1/n (n = {n} examples here): is the 1/n applied twice?"
        elif np.isclose(factor, n):
            why = f" That is n = {n}, the number of examples: is a 1/n missing?"
        return (
            f"Every gradient, in every layer, is {factor:.3g}× the right one: one common "
            "factor, so the structure is right and a constant is off." + why,
            2,
        )
    grad_W_ok = [_close(got[0][l], want[0][l]) for l in range(1, L + 1)]
    grad_b_ok = [_close(got[1][l], want[1][l]) for l in range(1, L + 1)]
    if all(grad_b_ok) and not all(grad_W_ok):
        return (
            "Every ∂C/∂b^l is right and some ∂C/∂W^l are not: your errors δ^l are right "
            "(BP3 takes nothing else), so the bug is in BP4, the weight gradient built from "
            "δ^l and the activations.",
            2,
        )
    if L > 1 and grad_W_ok[-1] and grad_b_ok[-1]:
        return (
            "Layer L is right and the layers below it are not: BP1 and the gradients of "
            "layer L are right, so look at BP2, the step from δ^{l+1} to δ^l.",
            1,
        )
    return None


def _common_factor(pairs):
    """c when every got equals c × want (c ≠ 1, the same for all arrays), else None."""
    num = sum(float(np.sum(g * w)) for g, w in pairs if isinstance(g, np.ndarray))
    den = sum(float(np.sum(w * w)) for _, w in pairs)
    if den == 0 or not all(isinstance(g, np.ndarray) and g.shape == w.shape for g, w in pairs):
        return None
    c = num / den
    if np.isclose(c, 1) or np.isclose(c, 0):
        return None
    if all(_close(g, c * w) for g, w in pairs):
        return c
    return None


def _kept_row_axis(name, got, want):
    """The message for bias gradients of shape (1, n_l) where (n_l,) is right, else None."""
    if name != "my_backward":
        return None
    bad = [
        (i, gl.shape, wl.shape)
        for i, (g, w) in enumerate(zip(got, want))
        for gl, wl in zip(g, w)
        if isinstance(gl, np.ndarray) and isinstance(wl, np.ndarray) and gl.shape != wl.shape
    ]
    if bad and all(i == 1 and g == (1, *w) for i, g, w in bad):
        return (
            "Your ∂C/∂b^l have the shape (1, n_l), a row, where b^l is a vector (n_l,): the "
            "reduction over the examples kept the row axis. Which argument of the numpy "
            "reduction does that, or which product leaves a (1, n_l) behind?"
        )
    return None


def _error_bug(checker, args, messages):
    """The zoo bug that raises the same exception as the student's function, or None."""
    try:
        checker.call(checker.fn, args)
    except Exception as e:  # noqa: BLE001 - the student's error, compared below
        mine, line = [type(e).__name__, str(e)], _offending_line(e) or ""
    else:
        return None
    same = [key for key in messages if checker.answers.zoo_error(key, checker.index) == mine]
    if {"wrong_weights", "no_transpose"} <= set(same):
        # the two raise alike where widths differ: a transpose in the line tells them apart
        same.remove(
            "no_transpose" if ".T" not in line and "transpose" not in line else "wrong_weights"
        )
    return same[0] if same else None


def _summary(labels, numeric):
    what = " and ".join(labels)
    against = "bplib and central differences" if numeric else "bplib"
    rows = [f"{what} agree with {against} on every layer of every test network:"]
    for k, (sizes, *_) in enumerate(NETWORKS):
        L = len(sizes) - 1
        layers = "layer 1" if L == 1 else f"layers 1-{L}"
        rows.append(f"  {_describe_network(k):<66} {layers}: ok")
    return "\n".join(rows)


def _numeric(k):
    """Central differences of test network ``k``'s cost: (num_W, num_b) by layer."""
    net, X, Y = case_network(k)
    return bplib.numerical_gradients(net, X, Y, eps=1e-6)


def _check_forward(checker):
    return _check_by_layer(
        checker,
        labels=("z^l", "a^l"),
        messages=FORWARD_BUGS,
        groups=_FORWARD_GROUPS,
        numeric=None,
    )


def _check_backward(checker):
    feedback = _check_by_layer(
        checker,
        labels=("dC/dW^l", "dC/db^l"),
        messages=BACKWARD_BUGS,
        groups=_GROUPS,
        numeric=_numeric,
    )
    if feedback.passed:
        peak = _peak_in_errors(checker.fn)
        if peak is not None and peak > KEEPS_EVERY_ERROR:
            held = _errors_held(checker.fn)
            if held is not None and held > 1:  # a list of every Δ^l: not what 10.2 asks
                what = f"still held {held} error matrices Δ^l when it returned"
                feedback.status, feedback.bug = "wrong", "keeps_every_error"
                feedback.message = KEEPS_L_ERRORS.format(L=_DEEP[0], what=what)
            else:  # kept somewhere the count does not see: say what the memory says
                what = f"used {peak:.0f} error matrices' worth of memory at its peak"
                feedback.message += " " + EVERY_ERROR_KEPT.format(L=_DEEP[0], what=what)
    return feedback


#: The deep, narrow network on which a correct my_backward's memory is measured:
#: (L, width, rows). One error matrix Δ^l is rows × width × 8 bytes.
_DEEP = (16, 32, 400)
#: A backward pass that keeps only the latest error peaks at a few errors' worth (the error,
#: the product with W^l, σ′ and their product); one that keeps a list peaks above L of them.
KEEPS_EVERY_ERROR = 10

EVERY_ERROR_KEPT = (
    "One thing the values cannot show: on a network with L = {L} layers your function {what} "
    "(one error at a time needs one Δ^l, and a few temporaries of its size), so it keeps "
    "every layer's. The statement asks for one: take layer l's gradients as soon as Δ^l "
    "exists, then let Δ^{{l−1}} replace it."
)

#: 10.2 asks for one loop that keeps only the latest error: a list of every Δ^l is wrong,
#: even with the right values.
KEEPS_L_ERRORS = (
    "Right values on every layer, but not the loop the statement asks for: on a network with "
    "L = {L} layers your function {what}, so it keeps L errors where one is enough. Take layer "
    "l's gradients as soon as Δ^l exists; which array can Δ^{{l−1}} then replace?"
)


def _deep_case():
    """The arguments of my_backward on the deep network of :data:`_DEEP`."""
    L, width, rows = _DEEP
    r = np.random.default_rng(16)
    W = [None] + [r.normal(0, 1 / np.sqrt(width), (width, width)) for _ in range(L)]
    sigmas = [None] + [bplib.tanh] * L
    z, a = [None], [r.normal(0, 1, (rows, width))]
    for l in range(1, L + 1):
        z.append(a[l - 1] @ W[l].T)
        a.append(np.tanh(z[l]))
    Y = r.uniform(0, 1, (rows, width))
    return W, sigmas, bplib.quadratic, z, a, Y


def _errors_held(fn):
    """How many arrays of an error's shape, other than the arguments, ``fn``'s own variables
    hold (directly or in a list) when it returns on the deep network; None if it raises."""
    import sys  # noqa: PLC0415

    args = _deep_case()
    W, _, _, z, a, Y = args
    given = {id(x) for x in [*W, *z, *a, Y] if x is not None}
    shape = (_DEEP[2], _DEEP[1])
    counts, code = [], getattr(fn, "__code__", None)

    def profile(frame, event, _arg):
        if event == "return" and frame.f_code is code:
            seen = set()
            for value in frame.f_locals.values():
                items = value if isinstance(value, (list, tuple)) else [value]
                for x in items:
                    if isinstance(x, np.ndarray) and x.shape == shape and id(x) not in given:
                        seen.add(id(x))
            counts.append(len(seen))

    old = sys.getprofile()
    sys.setprofile(profile)
    try:
        with np.errstate(all="ignore"):
            fn(*args)
    except Exception:  # noqa: BLE001 - it passed the check; a failure here proves nothing
        return None
    finally:
        sys.setprofile(old)
    return counts[-1] if counts else None


def _peak_in_errors(fn):
    """The peak memory ``fn`` allocates on the deep network of :data:`_DEEP`, in error
    matrices Δ^l (tracemalloc sees numpy's arrays), or None if it raises there."""
    import tracemalloc  # noqa: PLC0415

    _, width, rows = _DEEP
    args = _deep_case()
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    try:
        with np.errstate(all="ignore"):
            fn(*args)
        peak = tracemalloc.get_traced_memory()[1] - before
    except Exception:  # noqa: BLE001 - it passed the check; a failure here proves nothing
        return None
    finally:
        if not was_tracing:
            tracemalloc.stop()
    return peak / (rows * width * 8)


def waiting_for(forward, backward):
    """None when both functions pass their checks; else a short sentence on what is missing.

    Never raises and never prints (also under nbgrader); the training cell of notebook 10
    trains only when this is None.
    """
    for fn_name, fn in (("my_forward", forward), ("my_backward", backward)):
        fb = feedback_for(fn_name, fn)
        if not fb.passed:
            return (
                f"Waiting for your {fn_name}: its check says '{fb.status}'. Run the check "
                f"under {fn_name} until it says correct, then run this cell again."
            )
    return None


_STATEMENT_SHAPES = r"""The lists are indexed by layer, as in bplib: `W[l]` is $W^l$,
stored `(n_l, n_{l-1})`, and `sigmas[l]` is the activation $\sigma_l$ of layer $l$, for
$l = 1, \dots, L$; index 0 (the input layer) holds `None` in each. Rows of `X` and `Y` are
examples. An activation is an object with `.fn` ($\sigma_l$) and `.prime` ($\sigma_l'$),
such as `bplib.sigmoid`, `bplib.tanh` or `bplib.relu`; the layers of one network need not
share it. The depth is whatever `len(W)` says: the check runs your function on networks
with one, two, three and four layers of weights, tanh, ReLU or sigmoid hidden layers, and
the quadratic or the cross-entropy cost."""

register(
    Exercise(
        notebook="10",
        title="the forward pass, any depth",
        imports="import numpy as np",
        signature="my_forward(W, b, sigmas, X)",
        statement=r"""A warm-up: reuse your exercise 1.1 (notebook 01), with two changes. Keep the
**weighted inputs** $Z^l$ too (BP1 and BP2 need them), and give each layer **its own
activation** `sigmas[l]`. Return `z, a`, lists indexed by layer: `z[l]` is $Z^l$ and `a[l]` is
$A^l$, each `(n, n_l)`; `z[0]` is `None` and `a[0]` is `X`.

"""
        + _STATEMENT_SHAPES,
        explanation="One line per equation, in a loop over the layers: the weighted input "
        "from the previous layer's activation (rows are examples, so the weights come "
        "transposed), then the layer's own σ_l. Index 0 is the input: z[0] is None and a[0] is X.",
        cases=forward_cases,
        bugs=[],
        hints=[
            "Each layer needs only the activation of the layer before it, so the layers are "
            "computed in order, from the input (layer 0, whose activation is X itself) up to "
            "layer L. How many layers have weights, given that index 0 of W is None? And "
            "which entry of the list of activations belongs to layer l?",
            "Write the shape of each factor: a^{l-1} is (n, n_{l-1}) and W^l is stored "
            "(n_l, n_{l-1}), and z^l must be (n, n_l). Which product of the two, with one of "
            "them transposed, has that shape? The bias b^l has one entry per neuron: it is "
            "added to every row.",
            "The column form W^l a^{l-1} + b^l takes one example as a column. Stacking the "
            "examples as rows transposes every term: what does (W a)^T become?",
        ],
        correct="Every z^l and a^l is right, on every depth, width and mix of activations tested.",
        custom_check=_check_forward,
        raised=_raised,
        zoo_combos=lambda: _combos(list(FORWARD_BUGS), _FORWARD_GROUPS),
    )
)

register(
    Exercise(
        notebook="10",
        title="the backward pass, any depth, any cost",
        imports="import numpy as np",
        signature="my_backward(W, sigmas, cost, z, a, Y)",
        statement=r"""Write `my_backward(W, sigmas, cost, z, a, Y)`: the gradients of the batch
cost $C = \frac1n\sum_i C_i$ by BP1–BP4 in row form, for the cost `cost`. `z` and `a` are what
`my_forward` returns for the batch (the check passes correct ones, so this exercise does not
depend on the first). Return `grad_W, grad_b`, lists indexed by layer like `W`: `grad_W[l]` is
$\partial C/\partial W^l$, with the shape of $W^l$, and `grad_b[l]` is $\partial C/\partial b^l$,
shape `(n_l,)`; index 0 holds `None`.

Three things here are not in notebook 08:

- **BP1 for any cost.** 08's BP1 starts from $A^L - Y$, which belongs to the quadratic cost.
  Here the cost is an object such as `bplib.quadratic` or `bplib.cross_entropy`:
  `cost.grad_a(a[L], Y)` is $\nabla_a C_i$, the gradient of **each example's** cost with
  respect to its output activation, one row per example, shape `(n, n_L)`. (`cost.delta`, the
  cost's ready-made $\delta^L$, is what you are writing: the check refuses it.)
- **One error at a time.** Write the loop over the layers yourself and keep one array: take layer
  $l$'s gradients as soon as its error $\Delta^l$ exists, then step down to
  $\Delta^{l-1}$, which replaces it. That re-indexes BP2: which weights and whose $\sigma'$, at
  which layer's $Z$, does the step from $\Delta^l$ down to $\Delta^{l-1}$ take, and for which
  $l$ is there no step left? This is required: a list of every $\Delta^l$ gives the same
  gradients, but the check says wrong, from how many errors it holds at once on a 16-layer
  network. Exercise 10.3 continues the one-error loop.
- **Where each transpose goes.** Write the shape under every factor before the code: `W[l]`
  is `(n_l, n_{l-1})`, and every $Z^l$, $A^l$, $\Delta^l$ is `(n, n_l)`.

"""
        + r"""W, sigmas and the networks checked are as in exercise 10.1: lists indexed by layer with
`None` at index 0, an activation per layer, any depth (`len(W)`), rows for examples.""",
        explanation="BP1 at the output from the cost's gradient and the output layer's σ_L′. "
        "Then one loop from l = L down to 1: BP3 and BP4 of layer l, which average over the n "
        "rows, and, unless l = 1, the step of BP2 down to Δ^{l−1}, through the weights W^l "
        "of layer l and with σ′ of layer l − 1 at its own Z. With rows for examples, the "
        "column form's (W^l)ᵀ δ^l becomes `delta @ W[l]`. Only the latest Δ is kept.",
        cases=backward_cases,
        bugs=[],
        hints=[
            "The error runs backwards: Δ^L first, from the gradient of the cost with respect "
            "to the output activation (the cost object gives it, one row per example) and the "
            "output layer's σ′; then each step down from Δ^l to Δ^{l−1}, as far as Δ^1 and no "
            "further (layer 0 has no parameters). How many times does BP2 run when L = 1?",
            "Write the shape of each factor of the step down: Δ^l is (n, n_l), W^l is "
            "(n_l, n_{l−1}), and Δ^{l−1} must be (n, n_{l−1}). In the column form the weights "
            "come transposed; what happens to that transpose when every example is a row? And "
            "σ′: whose activation, at which layer's weighted input?",
            "C is a mean over the n rows, so every gradient is one too (the cost's gradient "
            "is per example: it has no 1/n in it). ∂C/∂W^l is the mean of one outer product "
            "δ^l_i (a^{l-1}_i)^T per example (δ^l_i is row i of Δ^l): which single matrix "
            "product of Δ^l and A^{l−1} adds up all n of them, with the shape (n_l, n_{l-1}) "
            "of W^l?",
            "One error at a time: the loop runs l = L, …, 1 and holds Δ^l at the top of each "
            "pass. What does layer l need for its own two gradients? Then the step down to "
            "Δ^{l−1}: which weights connect layer l − 1 to layer l, and whose σ′ is it? On the "
            "last pass, l = 1, is there a step left to take?",
            "Still stuck: notebook 08's equations (1)–(5) (the cell that checks them in numpy) "
            "are the row form of all five for two layers, the quadratic cost and a list of "
            "every error. Reread them, then change the three things this statement says are "
            "new: BP1 from the cost object's gradient, one error at a time, and each "
            "layer's own σ.",
        ],
        correct="Every ∂C/∂W^l and ∂C/∂b^l is right, on every depth, width, mix of "
        "activations and cost tested, "
        "and a second call gives the same gradients.",
        custom_check=_check_backward,
        raised=_raised,
        zoo_combos=lambda: _combos(list(BACKWARD_BUGS), _GROUPS),
    )
)


# ----------------------------------------------------------------------------
# Exercise 10.3: one step past BP2, the gradient with respect to the input
# ----------------------------------------------------------------------------
def _check_input_gradient(checker):
    """The usual comparison, with calls into bplib's forward and backward pass (and a
    cost's ready-made δ^L) refused, as in 10.1 and 10.2; the reader's own functions are fine."""
    watched = _Watched(checker.fn, forbid=_COST_DELTAS)
    _CURRENT.clear()
    _CURRENT["fn"], _CURRENT["used"] = watched.fn, watched.used
    try:
        feedback = usual_comparison(checker, watched)
    finally:
        _CURRENT.clear()
    if watched.used:
        return _library_feedback(checker, watched.used)
    if feedback.status == "wrong" and feedback.bug is None:
        # right shape, values no named bug explains: the σ′ question (hint 2) leads, the
        # slip the statement asks about; a wrong shape keeps hint 1 (how far BP2 runs)
        feedback.hints = [checker.ex.hints[1]]
    return _global_sentence(feedback, _notebook_globals(watched.fn))


register(
    Exercise(
        notebook="10",
        title="one step past BP2, the gradient with respect to the input",
        imports="import numpy as np",
        signature="my_input_gradient(W, sigmas, cost, z, a, Y)",
        statement=r"""BP1–BP4 stop at the parameters. Write `my_input_gradient(W, sigmas, cost, z, a, Y)`,
with the arguments of `my_backward`: $\partial C/\partial X$, the gradient of the batch cost
$C = \frac1n\sum_i C_i$ with respect to the **input** itself, shape `(n, n_0)` like `X`: row $i$
is $\partial C/\partial x_i$. No cell above computes it. It is what a network placed *before*
this one would need to train (the chain rule would go on into it), and it says which inputs
the cost is most sensitive to (for a digit, which pixels).

Think before you write: which error does it start from, does the input layer have a
$\sigma'$, and does a sum over the examples belong here, as it does in
$\partial C/\partial W^1$?""",
        explanation="One more step of BP2, from δ^1 through W^1 down to the input, but with no "
        "σ′: layer 0 has no activation, a^0 = X itself. And no sum over the examples: x_i "
        "enters only its own C_i, so row i is that example's gradient, times the 1/n of the "
        "mean. (The loop keeps only the latest δ: nothing else needs the earlier ones.)",
        cases=backward_cases,
        bugs=[
            Bug(
                "no_mean",
                "Every row is n times the right one. C is the mean of the C_i, and x_i "
                "enters only its own C_i: which factor does ∂C/∂x_i carry?",
            ),
            Bug(
                "prime_at_input",
                "One σ′ too many: your last step multiplies by a σ′ at the input X. BP2's "
                "σ′ belongs to the layer the error arrives at, and the input layer has no "
                "activation (a^0 = X), so the step from δ^1 down to X has no σ′. Which factor of "
                "your last step is left over?",
            ),
            Bug(
                "prime_at_z1",
                "One σ′ too many: your last step multiplies by σ_1′(Z^1) again. Layer 1's σ′ "
                "was taken when BP2 arrived at δ^1; the step from δ^1 down to X arrives at the "
                "input layer, which has no activation (a^0 = X), so that step has no σ′. Which "
                "factor of your last step is left over?",
            ),
            Bug(
                "one_row",
                "Your gradient is one row, the examples added up (or averaged). That is "
                "right for ∂C/∂W^1 and ∂C/∂b^1, which every example shares; each x_i is "
                "its own input. How many rows does ∂C/∂X have?",
            ),
            Bug(
                "no_transpose",
                "A transpose too many: it runs only because this layer is square. δ^1 is "
                "(n, n_1) and W^1 is stored (n_1, n_0): which product of the two gives "
                "(n, n_0), with no transpose?",
            ),
            Bug(
                "delta_1",
                "Your result is δ^1 (divided by n): the error of layer 1, with respect to "
                "z^1, one step short of the input. It has the shape of X only because this "
                "test network's layers are square. z^1 is computed from X through which "
                "weights, and what does the chain rule take from z^1 back to X?",
            ),
            Bug(
                "one_row_sum",
                "Your gradient is one row, the examples added up. A sum over the examples "
                "is right for ∂C/∂W^1 and ∂C/∂b^1 (with the 1/n), which every example "
                "shares; each x_i is its own input. How many rows does ∂C/∂X have, and "
                "which factor does row i carry?",
            ),
            Bug(
                "mean_every_row",
                "Every row of your gradient is the same: the mean of the rows, as BP3 takes "
                "for ∂C/∂b^1. BP3 averages because b^1 is shared by every example; x_i is "
                "example i's own input and enters only C_i. What does row i of ∂C/∂X keep "
                "from row i of δ^1, and which factor does it carry?",
            ),
            Bug(
                "first_hidden_prime",
                "Your BP2 uses layer 1's σ′, `sigmas[1].prime`, in every hidden layer: "
                "this test network's hidden layers each have their own activation (tanh, "
                "ReLU, sigmoid). Stepping down to layer l, whose activation's derivative does "
                "the step need?",
            ),
            Bug(
                "stops_at_delta_2",
                "One layer short: your result comes from δ^2 and W^2, the gradient with "
                "respect to a^1. Which error, through which weights, reaches X?",
            ),
        ],
        hints=[
            "x_i, row i of X, reaches the cost only through z^1_i = x_i (W^1)ᵀ + b^1 and "
            "only in C_i. So you need δ^1 first: how far down does BP2 have to run, and "
            "what is left to do after it?",
            "Each step of BP2 carries the error back through the weights, then multiplies "
            "by σ′ of the layer it arrives at. The last step arrives at layer 0, the input: "
            "does it have an activation?",
            "Shapes: δ^1 is (n, n_1), W^1 is (n_1, n_0), and ∂C/∂X is (n, n_0), one row "
            "per example like X. Does a sum over the examples belong here? And the 1/n "
            "of the mean C: which row does it reach?",
        ],
        correct="∂C/∂X is right on every depth, width, mix of activations and cost tested.",
        custom_check=_check_input_gradient,
        raised=_raised,
    )
)

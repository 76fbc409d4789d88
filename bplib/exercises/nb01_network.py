"""Notebook 01, the network: the forward pass with examples as columns, and an activation's
derivative that the notebook does not show."""

from __future__ import annotations

import numpy as np

from .checker import Bug, Exercise, register


def _rng(seed):
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------
# feedforward_columns
# ----------------------------------------------------------------------------


def _layers(sizes, r):
    W = [None] + [r.normal(0, 1.2, (m, k)) for k, m in zip(sizes[:-1], sizes[1:])]
    b = [None] + [r.normal(0, 1.0, m) for m in sizes[1:]]
    return W, b


def _columns_cases():
    r = _rng(101)
    # case 0: every width and the number of examples equal (3), so that a transposed W, a bias
    # added along the wrong axis and a transposed result all run and can be told apart
    W0, b0 = _layers([3, 3, 3], r)
    W1, b1 = _layers([2, 4, 3], r)
    W2, b2 = _layers([4, 2], r)
    return [
        (W0, b0, r.normal(0, 1, (3, 3))),
        (W1, b1, r.normal(0, 1, (2, 5))),
        (W2, b2, r.normal(0, 1, (4, 1))),
    ]


register(
    Exercise(
        notebook="01",
        title="the forward pass with one example per column, every layer kept",
        signature="feedforward_columns(W, b, X_cols)",
        statement=r"""So far the input is one example, a column. To run $n$ examples at once, many
textbooks and courses put example $i$ in **column** $i$: the input is an $n_0 \times n$ matrix
$X_{\text{cols}}$ and every layer's activations are $n_l \times n$. (`bplib` and section 5 do the
opposite, one example per row.) Layer $l$ reads the activations of layer $l-1$, starting from
$a^0 = x$.

Write `feedforward_columns(W, b, X_cols)` for a sigmoid network (σ in every layer, the output
layer included) in that layout. Return **the activations of every layer**, not only the output:
a list `a` indexed by layer, like `W`, with `a[0]` the input `X_cols` itself and `a[l]` of shape
`(n_l, n)`, column $i$ for example $i$, so that `a[L]` is the network's output and the list has
$L + 1$ entries. (Backpropagation needs every layer's activations, not just the last: notebook
07 uses them, and notebook 10 asks you for this list again.) `W` and `b` are bplib's lists
indexed by layer (`W[0]` and `b[0]` are `None`), stored as in the notebook: `W[l]` is
$(n_l, n_{l-1})$ and `b[l]` is $(n_l,)$. Do not transpose into rows and call bplib: write each
layer's product yourself. The rest of this section runs one example; write yours first.""",
        explanation=r"Column $i$ of `W[l] @ a[l - 1]`, with `a[l - 1]` the $n_{l-1} \times n$ "
        r"matrix of activations, is $W^l$ times column $i$: the column form (4) for every example "
        "at once, with no transpose, because W is stored (n_out, n_in), and with the bias as a "
        "column, as in section 2. Each layer appends its activations to the list, so `a[l]` is "
        "layer l's and `a[0]`, the input, needs no σ.",
        cases=_columns_cases,
        bugs=[
            Bug(
                "bias_along_columns",
                "The bias was added along the wrong axis, the trap of section 2's prediction: "
                "`+ b[l]` gave b_j to column (example) j. Here every width equals the number of "
                "examples, so numpy did not complain. Add it as a column, `b[l][:, None]`.",
            ),
            Bug(
                "W_transposed",
                'You multiplied by W transposed, as if W were stored (n_in, n_out), "from k to '
                'j". It is stored (n_out, n_in): row j holds the weights into neuron j, so in '
                "the column layout z^l = W^l a^{l−1} + b^l needs no transpose at all.",
            ),
            Bug(
                "result_as_rows",
                "Your numbers are right but transposed: your a[l] have one row per example. In "
                "this exercise examples are columns: a[0] is X_cols and a[l] is (n_l, n).",
            ),
            Bug(
                "no_bias",
                "The biases are missing: z^l = W^l a^{l−1} + b^l.",
            ),
            Bug(
                "no_activation",
                "σ is missing in every layer: your a[l] are the weighted inputs z^l of a linear "
                "network. Each layer's activation is a^l = σ(z^l), and the next layer takes "
                "a^l, not z^l.",
            ),
            Bug(
                "no_sigma_on_output",
                "Every layer is right except the output: a[L] is the weighted input z^L, without "
                "σ. The output layer is a sigmoid layer too: a^L = σ(z^L). (Did the loop treat "
                "its last pass differently?)",
            ),
            Bug(
                "sigma_twice_on_output",
                "Every layer is right except the output: σ was applied to it twice, σ(σ(z^L)). "
                "The loop already applies σ in the output layer; the output needs nothing "
                "more after the loop.",
            ),
            Bug(
                "sigma_prime",
                "You applied σ′ instead of σ: the forward pass uses the activation itself, "
                "`sigmoid.fn`; its derivative `sigmoid.prime` is for the backward pass.",
            ),
            Bug(
                "last_layer_missing",
                "The last layer is missing: the loop stopped one layer short. W has L + 1 "
                "entries (W[0] is None), so the layers are `range(1, len(W))`.",
            ),
            Bug(
                "only_output",
                "You returned the output a^L alone, which is right. Return the list of every "
                "layer's activations, a[0] = X_cols up to a[L], L + 1 arrays.",
            ),
            Bug(
                "input_missing",
                "Your list starts at layer 1: a[0] must be the input X_cols itself, so that a[l] "
                "is layer l's activations and the list has L + 1 entries, like W.",
            ),
            Bug(
                "input_as_none",
                "a[0] is None, but the input layer has activations: a^0 = x. Only W[0] and "
                "b[0] are None (the input layer has no weights); a[0] is X_cols.",
            ),
        ],
        hints=[
            "For one example, z^l = W^l a^{l−1} + b^l with a^{l−1} a column: (n_l, n_{l−1}) @ "
            "(n_{l−1}, 1). With n examples side by side the product is (n_l, n_{l−1}) @ "
            "(n_{l−1}, n).",
            "Start the list with the input, `a = [X_cols]`, then loop "
            "`for l in range(1, len(W))`, appending `sigmoid.fn(...)` of layer l's weighted "
            "input computed from `a[l - 1]`.",
        ],
        correct="One product per layer, W^l a^{l−1}, with the bias as a column, each layer's "
        "activations kept in a list indexed by layer: the forward pass a backward pass needs.",
    )
)


# ----------------------------------------------------------------------------
# softplus_prime
# ----------------------------------------------------------------------------


def _softplus_cases():
    r = _rng(102)
    return [
        (np.linspace(-4.0, 4.0, 9).reshape(3, 3) + 0.25,),
        (r.normal(0, 2, (4, 5)),),
    ]


register(
    Exercise(
        notebook="01",
        title="the derivative of softplus",
        imports="import numpy as np",
        signature="softplus_prime(z)",
        statement=r"""**Softplus**, $\operatorname{softplus}(z) = \ln(1 + e^z)$, is a smooth
version of ReLU: close to 0 for $z \ll 0$ and close to $z$ for $z \gg 0$, with no corner at 0.
Derive its derivative by hand, as (9) and (10) were derived above (the chain rule:
$\frac{d}{dz}\ln u = \frac{1}{u}\frac{du}{dz}$), simplify it, and write `softplus_prime(z)`,
element-wise for an array `z` of any shape. Use numpy only. Then compare your formula with the
functions of this notebook: you have met it before.""",
        explanation=r"$\frac{d}{dz}\ln(1 + e^z) = \frac{e^z}{1 + e^z} = \frac{1}{1 + e^{-z}} "
        r"= \sigma(z)$ (divide numerator and denominator by $e^z$): the derivative of softplus "
        r"is the sigmoid. Like ReLU′ it goes from 0 to 1, but smoothly.",
        cases=_softplus_cases,
        bugs=[
            Bug(
                "no_inner_derivative",
                "You wrote 1/(1 + e^z): that is the derivative of ln u with respect to u, "
                "without the inner factor du/dz = e^z. The chain rule gives e^z/(1 + e^z).",
            ),
            Bug(
                "softplus_itself",
                "You returned softplus itself, ln(1 + e^z), not its derivative.",
            ),
            Bug(
                "sigma_prime",
                "You returned e^z/(1 + e^z)^2 = σ(z)(1 − σ(z)): that is σ′, the derivative of "
                "the sigmoid, one derivative too many. Softplus′ is e^z/(1 + e^z).",
            ),
            Bug(
                "relu_prime",
                "You returned ReLU′, a step from 0 to 1. Softplus only looks like ReLU far from "
                "0; near 0 its slope changes smoothly: differentiate ln(1 + e^z) itself.",
            ),
            Bug(
                "exp_only",
                "You returned e^z: the denominator 1 + e^z, from the derivative of ln u = 1/u, "
                "is missing.",
            ),
        ],
        hints=[
            "Write u = 1 + e^z. Then d/dz ln u = (1/u) · du/dz.",
            "du/dz = e^z. Divide the numerator and the denominator of e^z/(1 + e^z) by e^z.",
        ],
        correct="softplus′(z) = e^z/(1 + e^z) = σ(z): the sigmoid is the slope of a smooth ReLU.",
    )
)

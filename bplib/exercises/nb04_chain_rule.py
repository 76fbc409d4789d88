"""Notebook 04, the chain rule: the 3Blue1Brown chain of single neurons, C_i = (a - y)^2 (no 1/2)."""

from __future__ import annotations

from bplib import sigmoid

from .checker import Bug, Exercise, register

s, sp = sigmoid.fn, sigmoid.prime  # short names for the variants below


# ----------------------------------------------------------------------------
# dC_dw
# ----------------------------------------------------------------------------


def _dC_dw_cases():
    return [(0.7, 1.3, -0.4, 1.0), (0.2, -0.8, 0.5, 0.0), (0.9, 0.4, 0.1, 0.3)]


register(
    Exercise(
        notebook="04",
        title="one partial derivative by the chain rule",
        signature="dC_dw(a_prev, w, b, y)",
        statement=r"""In the chain of single neurons, the last neuron computes $z^{(L)} = w^{(L)}
a^{(L-1)} + b^{(L)}$, $a^{(L)} = \sigma(z^{(L)})$, and the cost of one example is
$C_i = (a^{(L)} - y)^2$, the seed's cost (3), with no ½. Write
`dC_dw(a_prev, w, b, y)` returning

$$\frac{\partial C_i}{\partial w^{(L)}} = \frac{\partial z^{(L)}}{\partial w^{(L)}}
\frac{\partial a^{(L)}}{\partial z^{(L)}} \frac{\partial C_i}{\partial a^{(L)}} .$$

Find each factor from (1) to (3) and multiply; section 3 derives them after the exercises.
Use `sigmoid.fn` and `sigmoid.prime` from bplib.""",
        explanation=r"The three factors are $a^{(L-1)}$, $\sigma'(z^{(L)})$ and "
        r"$2(a^{(L)} - y)$.",
        cases=_dC_dw_cases,
        bugs=[
            Bug(
                "no_sigma_prime",
                "The factor σ′(z) = ∂a/∂z is missing: the weight acts on a only through z.",
            ),
            Bug(
                "sigma_not_prime",
                "You used σ(z) where its derivative σ′(z) belongs: ∂a/∂z = σ′(z) = σ(z)(1 − σ(z)).",
            ),
            Bug(
                "prime_of_a",
                "σ′ was evaluated at a instead of at z. σ′ takes the weighted input: "
                "σ′(z) (which equals a(1 − a), not σ′(a)).",
            ),
            Bug(
                "stray_half",
                "Your answer is half the right one: the derivative of (a − y)² is "
                "2(a − y). This exercise uses C_i = (a − y)² without the ½, so the 2 stays.",
            ),
            Bug(
                "sign",
                "The sign is flipped: ∂C_i/∂a = 2(a − y), not 2(y − a).",
            ),
            Bug(
                "dC_db",
                "That is ∂C_i/∂b: the factor ∂z/∂w = a^(L−1) is missing.",
            ),
            Bug(
                "dC_da_prev",
                "That is ∂C_i/∂a^(L−1): you multiplied by w. For the weight, ∂z/∂w = a^(L−1).",
            ),
        ],
        hints=[
            "First compute z and a from a_prev, w and b.",
            "∂z/∂w = a_prev, ∂a/∂z = σ′(z) = `sigmoid.prime(z)`, ∂C_i/∂a = 2(a − y). Multiply.",
        ],
        correct="∂C_i/∂w = a^(L−1) · σ′(z^(L)) · 2(a^(L) − y).",
    )
)


# ----------------------------------------------------------------------------
# dC_dw_prev
# ----------------------------------------------------------------------------


_DW_PREV_BUGS = [
    (
        "next_z",
        "This looks like σ′ was evaluated at the next layer's z: σ′(z^(L)) appears "
        "twice. The factor for the earlier neuron is σ′(z^(L−1)), the slope of its own activation "
        "(the seed makes the same slip, writing σ′(z^L) where σ′(z^l) belongs).",
    ),
    (
        "no_w",
        "The weight w^(L) is missing: ∂z^(L)/∂a^(L−1) = w^(L). The error reaches the "
        "earlier neuron through that weight.",
    ),
    (
        "no_inner_prime",
        "σ′(z^(L−1)) is missing: ∂a^(L−1)/∂z^(L−1), the slope of the earlier neuron's activation.",
    ),
    (
        "no_outer_prime",
        "σ′(z^(L)) is missing: ∂a^(L)/∂z^(L), the slope of the last neuron's activation.",
    ),
    (
        "stray_half",
        "Your answer is half the right one: with C_i = (a − y)² (no ½) the "
        "derivative ∂C_i/∂a^(L) = 2(a^(L) − y) keeps its 2.",
    ),
    ("sign", "The sign is flipped: ∂C_i/∂a^(L) = 2(a^(L) − y), not 2(y − a^(L))."),
    (
        "last_weight",
        "That is ∂C_i/∂w^(L), the last weight. This exercise goes one layer further "
        "back, to w^(L−1).",
    ),
]

register(
    Exercise(
        notebook="04",
        title="one layer further back",
        signature="dC_dw_prev(a0, w1, b1, w2, b2, y)",
        statement=r"""Now two neurons: $z^{(L-1)} = w^{(L-1)} a^{(L-2)} + b^{(L-1)}$,
$a^{(L-1)} = \sigma(z^{(L-1)})$, then $z^{(L)} = w^{(L)} a^{(L-1)} + b^{(L)}$,
$a^{(L)} = \sigma(z^{(L)})$ and $C_i = (a^{(L)} - y)^2$. Write
`dC_dw_prev(a0, w1, b1, w2, b2, y)` returning $\partial C_i / \partial w^{(L-1)}$, where `a0`
is $a^{(L-2)}$, `w1, b1` are $w^{(L-1)}, b^{(L-1)}$ and `w2, b2` are $w^{(L)}, b^{(L)}$
(the numbers are bplib's layer numbers: in `Network([1, 1, 1])`, $L = 2$, and `w1` is
`net.W[1]`). The chain rule along the path $w^{(L-1)} \to z^{(L-1)} \to a^{(L-1)} \to z^{(L)}
\to a^{(L)} \to C_i$ has five factors; find each one (section 5 derives them after the exercises):

$$\frac{\partial C_i}{\partial w^{(L-1)}} = \frac{\partial z^{(L-1)}}{\partial w^{(L-1)}}
\frac{\partial a^{(L-1)}}{\partial z^{(L-1)}} \frac{\partial z^{(L)}}{\partial a^{(L-1)}}
\frac{\partial a^{(L)}}{\partial z^{(L)}} \frac{\partial C_i}{\partial a^{(L)}} .$$""",
        explanation=r"Five factors: $a^{(L-2)}\,\sigma'(z^{(L-1)})\,w^{(L)}\,\sigma'(z^{(L)})\,"
        r"2(a^{(L)} - y)$. Each σ′ is taken at its own layer's z.",
        cases=lambda: [
            (0.8, 1.5, -0.3, -1.2, 0.4, 1.0),
            (0.3, -0.7, 0.6, 0.9, -0.2, 0.0),
            (-0.5, 0.6, 0.2, 1.7, -0.9, 0.4),
        ],
        bugs=[Bug(key, msg) for key, msg in _DW_PREV_BUGS],
        hints=[
            "Run the chain forward first: z1, a1, z2, a2.",
            "Write down the five factors of the equation one by one, then multiply them.",
            "Each σ′ belongs to one neuron: σ′(z1) for the first, σ′(z2) for the second.",
        ],
        correct="Five factors, each σ′ at its own layer: a^(L−2) σ′(z^(L−1)) w^(L) σ′(z^(L)) "
        "2(a^(L) − y).",
    )
)

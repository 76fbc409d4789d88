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
        signature="dC_dw(a_prev, w_L, b_L, y)",
        statement=r"""The last neuron of the chain computes $z^L = w^L a^{L-1} + b^L$
and $a^L = \sigma(z^L)$, by (1) and (2), and the cost of one example is the note's (3),
$C_i = (a^L - y)^2$, with no ½. Write `dC_dw(a_prev, w_L, b_L, y)` returning
$\partial C_i/\partial w^L$, the slope of the cost against the last weight, where `a_prev` is
$a^{L-1}$, `w_L` and `b_L` are $w^L$ and $b^L$, and `y` is the target (the names of
section 1's code). Use the chain rule as section 2 states it: follow the path from $w^L$ to
$C_i$ and work out the local derivative of each of its steps from (1) to (3) yourself. Use
`sigmoid.fn` and `sigmoid.prime`, which is (4). Section 3 compares it with yours after the exercises.""",
        explanation=r"The three factors are $a^{L-1}$, $\sigma'(z^L)$ and "
        r"$2(a^L - y)$.",
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
                "That is ∂C_i/∂b: the factor ∂z/∂w = a^{L−1} is missing.",
            ),
            Bug(
                "dC_da_prev",
                "That is ∂C_i/∂a^{L−1}: you multiplied by w. For the weight, ∂z/∂w = a^{L−1}.",
            ),
            Bug(
                "own_output",
                "Your first factor looks like the neuron's own output a^L. That factor is "
                "∂z^L/∂w^L, read off (1): which activation does w^L multiply there, and "
                "which layer does it come from?",
            ),
        ],
        hints=[
            "Run the neuron forward first: z^L and a^L from a_prev, w_L and b_L.",
            "Write down the path from w^L to C_i, quantity by quantity. How many steps does it "
            "have, so how many factors does the chain rule multiply?",
            "For each step ask: if its starting quantity moves a little, how much does the next "
            "one move? Read it off the one equation, (1), (2) or (3), that links the two.",
            "The cost has no ½ here: differentiate (a − y)² as it stands.",
        ],
        correct="∂C_i/∂w = a^{L−1} · σ′(z^L) · 2(a^L − y).",
    )
)


# ----------------------------------------------------------------------------
# dC_dw_prev
# ----------------------------------------------------------------------------


_DW_PREV_BUGS = [
    (
        "next_z",
        "This looks like σ′ was evaluated at the next layer's z: σ′(z^L) appears "
        "twice. The factor for the earlier neuron is σ′(z^{L−1}), the slope of its own activation "
        "(the note makes the same slip, writing σ′(z^L) where σ′(z^l) belongs).",
    ),
    (
        "no_w",
        "The weight w^L is missing: ∂z^L/∂a^{L−1} = w^L. The error reaches the "
        "earlier neuron through that weight.",
    ),
    (
        "no_inner_prime",
        "σ′(z^{L−1}) is missing: ∂a^{L−1}/∂z^{L−1}, the slope of the earlier neuron's activation.",
    ),
    (
        "no_outer_prime",
        "σ′(z^L) is missing: ∂a^L/∂z^L, the slope of the last neuron's activation.",
    ),
    (
        "stray_half",
        "Your answer is half the right one: with C_i = (a − y)² (no ½) the "
        "derivative ∂C_i/∂a^L = 2(a^L − y) keeps its 2.",
    ),
    ("sign", "The sign is flipped: ∂C_i/∂a^L = 2(a^L − y), not 2(y − a^L)."),
    (
        "a_prev_for_x",
        "The first factor is ∂z^{L−1}/∂w^{L−1}, read off (1) for layer L−1: what does "
        "w^{L−1} multiply there? a^{L−1} is what w^L multiplies, one layer later.",
    ),
    (
        "w_prev_for_x",
        "Your first factor is the weight w^{L−1} itself. ∂z^{L−1}/∂w^{L−1} is what the weight "
        "multiplies in (1) for layer L−1: the input x = a^{L−2}, not the weight itself.",
    ),
    (
        "w_prev_for_w_L",
        "The weight in your product is ∂z^L/∂a^{L−1}, read off (1) for layer L: which weight "
        "multiplies a^{L−1} there? It is not the weight you differentiate by.",
    ),
    (
        "no_x",
        "That is ∂C_i/∂b^{L−1}, the bias's gradient: your product starts one step late. The "
        "path from w^{L−1} begins with ∂z^{L−1}/∂w^{L−1}; read it off (1) for layer L−1.",
    ),
    (
        "last_weight",
        "That is ∂C_i/∂w^L, the last weight. This exercise goes one layer further "
        "back, to w^{L−1}.",
    ),
]

register(
    Exercise(
        notebook="04",
        title="one layer further back",
        signature="dC_dw_prev(x, w_prev, b_prev, w_L, b_L, y)",
        statement=r"""Now one layer further back, the whole chain of section 1:
$z^{L-1} = w^{L-1} x + b^{L-1}$ and $a^{L-1} = \sigma(z^{L-1})$ feed the last neuron of
exercise 4.1, and $C_i = (a^L - y)^2$. Write `dC_dw_prev(x, w_prev, b_prev, w_L, b_L, y)`
returning $\partial C_i/\partial w^{L-1}$, with section 1's names: `x` is the input
$a^{L-2}$, `w_prev` and `b_prev` are $w^{L-1}$ and $b^{L-1}$, `w_L` and `b_L` are
$w^L$ and $b^L$ (in `Network([1, 1, 1])`, $L = 2$: `w_prev` is the number `net.W[1][0, 0]`,
`w_L` is `net.W[2][0, 0]`). Follow the path from $w^{L-1}$ to $C_i$: how many steps does it take, and what is
the local derivative of each? Section 3 compares it with yours after the exercises.""",
        explanation=r"Five factors: $a^{L-2}\,\sigma'(z^{L-1})\,w^L\,\sigma'(z^L)\,"
        r"2(a^L - y)$. Each σ′ is taken at its own layer's z.",
        cases=lambda: [
            (0.8, 1.5, -0.3, -1.2, 0.4, 1.0),
            (0.3, -0.7, 0.6, 0.9, -0.2, 0.0),
            (-0.5, 0.6, 0.2, 1.7, -0.9, 0.4),
        ],
        bugs=[Bug(key, msg) for key, msg in _DW_PREV_BUGS],
        hints=[
            "Run the chain forward first: z^{L−1}, a^{L−1}, z^L, a^L.",
            "List the quantities on the path from w^{L−1} to C_i. Each step between two "
            "neighbours on it contributes one factor.",
            "The end of the path, from a^{L−1} on, runs through the neuron of exercise 4.1. "
            "Which of its steps did 4.1 already walk, and which one is new?",
            "Each σ′ belongs to one neuron and is taken at that neuron's own weighted input.",
        ],
        correct="Five factors, each σ′ at its own layer: a^{L−2} σ′(z^{L−1}) w^L σ′(z^L) "
        "2(a^L − y).",
    )
)

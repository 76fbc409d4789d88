"""Notebook 04, the chain rule: the 3Blue1Brown chain of single neurons, C_i = 1/2 (a - y)^2."""

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
and $a^L = \sigma(z^L)$, by (1) and (2), and the cost of one example is (3),
$C_i = \tfrac12(a^L - y)^2$. Write `dC_dw(a_prev, w_L, b_L, y)` returning
$\partial C_i/\partial w^L$, the slope of the cost against the last weight, where `a_prev` is
$a^{L-1}$, `w_L` and `b_L` are $w^L$ and $b^L$, and `y` is the target (the names of
section 1's code). Use the chain rule as section 2 states it: follow the path from $w^L$ to
$C_i$ and work out the local derivative of each of its steps from (1) to (3) yourself. Use
`sigmoid.fn` and `sigmoid.prime`, which is (4). Section 3 compares it with yours after the exercises.""",
        explanation=r"The three factors are $a^{L-1}$, $\sigma'(z^L)$ and "
        r"$a^L - y$ (the ½ of the cost cancels the 2 of the square).",
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
                "prime_of_a_prev",
                "σ′ was taken at a^{L−1}, the activation w^L multiplies, instead of at z^L. "
                "The step from z^L to a^L is the last neuron's own: its local derivative is the "
                "slope of the sigmoid at that neuron's weighted input, σ′(z^L).",
            ),
            Bug(
                "stray_two",
                "Your answer is twice the right one: the derivative of (a − y)² is 2(a − y), "
                "and the ½ in front of it, C_i = ½(a − y)², cancels that 2.",
            ),
            Bug(
                "sign",
                "The sign is flipped: ∂C_i/∂a^L = a^L − y, not y − a^L.",
            ),
            Bug(
                "dC_db",
                "That is ∂C_i/∂b^L, the bias's slope: the factor ∂z^L/∂w^L is missing. "
                "Read it off (1): what does w^L multiply there?",
            ),
            Bug(
                "weight_for_input",
                "Your first factor is the weight w^L itself. ∂z^L/∂w^L is what the weight "
                "multiplies in (1), not the weight.",
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
            "Differentiate ½(a − y)² by a: the ½ and the square's 2 meet.",
        ],
        correct="∂C_i/∂w^L = a^{L−1} · σ′(z^L) · (a^L − y).",
    )
)


# ----------------------------------------------------------------------------
# dC_da_prev
# ----------------------------------------------------------------------------


def _dC_da_prev_cases():
    return [(0.35, -1.2, 0.4, 1.0), (0.8, 0.9, -0.2, 0.0), (0.55, 1.7, -0.9, 0.4)]


register(
    Exercise(
        notebook="04",
        title="the slope against the activation one layer down",
        signature="dC_da_prev(a_prev, w_L, b_L, y)",
        statement=r"""Nothing sets $a^{L-1}$ directly: the neuron of layer $L-1$
computes it. Still, the cost depends on it through the last neuron, and how much it depends
is what the layer before needs to know (exercise 4.3 uses it). Write
`dC_da_prev(a_prev, w_L, b_L, y)` returning $\partial C_i/\partial a^{L-1}$, with the names
and the cost $C_i = \tfrac12(a^L - y)^2$ of exercise 4.1. Follow the path from $a^{L-1}$ to
$C_i$ in the graph of section 2: which of its steps did 4.1 already walk, and which one is
new?""",
        explanation=r"Three factors: $w^L\,\sigma'(z^L)\,(a^L - y)$. The last two are 4.1's; "
        r"only the first step changes, $\partial z^L/\partial a^{L-1} = w^L$ by (1).",
        cases=_dC_da_prev_cases,
        bugs=[
            Bug(
                "dC_dw",
                "That is ∂C_i/∂w^L, exercise 4.1's answer. The last two steps are the same, but "
                "the first is ∂z^L/∂a^{L−1}: read it off (1), what multiplies a^{L−1} there?",
            ),
            Bug(
                "dC_db",
                "That is ∂C_i/∂b^L: the first factor, ∂z^L/∂a^{L−1}, is missing. Read it off (1).",
            ),
            Bug(
                "past_a_prev",
                "Your product has one factor too many, a^{L−1}(1 − a^{L−1}), which is "
                "σ′(z^{L−1}): the step from z^{L−1} to a^{L−1}. That step lies below the "
                "quantity you differentiate by; the path starts at a^{L−1}.",
            ),
            Bug(
                "prime_past_a_prev",
                "Your product has one factor too many, σ′(a^{L−1}): you walked one step too far "
                "back. The path starts at a^{L−1}, the quantity you differentiate by, so the step "
                "below it (from z^{L−1} to a^{L−1}) is not on it; that step is exercise 4.3's, "
                "and its slope is taken at z^{L−1}, not at a^{L−1}.",
            ),
            Bug(
                "no_sigma_prime",
                "The factor σ′(z^L) = ∂a^L/∂z^L is missing: a^{L−1} reaches a^L only through z^L.",
            ),
            Bug(
                "sigma_not_prime",
                "You used σ(z^L) where its derivative σ′(z^L) belongs.",
            ),
            Bug(
                "prime_of_a",
                "σ′ was evaluated at a^L instead of at z^L.",
            ),
            Bug(
                "stray_two",
                "Your answer is twice the right one: the ½ of C_i = ½(a − y)² cancels the "
                "square's 2.",
            ),
            Bug("sign", "The sign is flipped: ∂C_i/∂a^L = a^L − y, not y − a^L."),
        ],
        hints=[
            "Run the last neuron forward first, as in 4.1: z^L and a^L.",
            "The path is a^{L−1} → z^L → a^L → C_i: three steps, three factors.",
            "Only the first step differs from 4.1's path: by (1), how much does z^L move when "
            "a^{L−1} moves a little, w^L and b^L held fixed?",
        ],
        correct="∂C_i/∂a^{L−1} = w^L · σ′(z^L) · (a^L − y): 4.1's last two factors, with "
        "w^L in front.",
    )
)


# ----------------------------------------------------------------------------
# dC_dw_prev
# ----------------------------------------------------------------------------


_DW_PREV_BUGS = [
    (
        "no_prime",
        "σ′(z^{L−1}) is missing: ∂a^{L−1}/∂z^{L−1}, the slope of the earlier neuron's "
        "activation, on the step from z^{L−1} to a^{L−1}.",
    ),
    (
        "sigma_not_prime",
        "You used σ(z^{L−1}) where its derivative σ′(z^{L−1}) belongs.",
    ),
    (
        "prime_of_a",
        "σ′ was evaluated at a^{L−1} instead of at z^{L−1}: σ′ takes the weighted input.",
    ),
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
        "extra_weight",
        "Your product has the factor w^{L−1} too many. The weight on the path from a^{L−1} "
        "to the cost, w^L, is already inside dC_da_prev; w^{L−1} is the weight you "
        "differentiate by, and its own step contributes what it multiplies, x.",
    ),
    (
        "no_x",
        "That is ∂C_i/∂b^{L−1}, the bias's gradient: your product starts one step late. The "
        "path from w^{L−1} begins with ∂z^{L−1}/∂w^{L−1}; read it off (1) for layer L−1.",
    ),
    (
        "no_dC_da",
        "dC_da_prev is missing from your product: the path from w^{L−1} does not stop at "
        "a^{L−1}. From there to the cost, the chain rule multiplies in ∂C_i/∂a^{L−1}, the "
        "number you are given.",
    ),
]


def _dC_dw_prev_cases():
    return [(0.8, 1.5, -0.3, 0.21), (-0.5, 0.6, 0.2, -0.37), (1.3, -0.7, 0.6, 0.05)]


register(
    Exercise(
        notebook="04",
        title=r"one layer further back, reusing $\partial C_i/\partial a^{L-1}$",
        signature="dC_dw_prev(x, w_prev, b_prev, dC_da_prev)",
        statement=r"""Now one layer further back: $z^{L-1} = w^{L-1} x + b^{L-1}$
and $a^{L-1} = \sigma(z^{L-1})$ feed the last neuron, where `x` is the input $a^{L-2}$ and
`w_prev`, `b_prev` are $w^{L-1}$, $b^{L-1}$ (in `Network([1, 1, 1])`, $L = 2$: `w_prev` is the
number `net.W[1][0, 0]`). The path from $w^{L-1}$ to $C_i$ passes through $a^{L-1}$, and from
there on it is the path of exercise 4.2. So you do not walk it again: `dC_da_prev` is the
number $\partial C_i/\partial a^{L-1}$ that your 4.2 returns. Write
`dC_dw_prev(x, w_prev, b_prev, dC_da_prev)` returning $\partial C_i/\partial w^{L-1}$.
Notice what it does not take: $w^L$, $b^L$, $y$ and $a^L$ all reach it inside that one
number.""",
        explanation=r"$a^{L-2}\,\sigma'(z^{L-1})\,\partial C_i/\partial a^{L-1}$: the two steps "
        r"of layer $L-1$, then the number handed back from layer $L$. Written out, five factors, "
        r"$a^{L-2}\,\sigma'(z^{L-1})\,w^L\,\sigma'(z^L)\,(a^L - y)$, each σ′ at its own layer.",
        cases=_dC_dw_prev_cases,
        bugs=[Bug(key, msg) for key, msg in _DW_PREV_BUGS],
        hints=[
            "Run layer L−1 forward: z^{L−1} from x, w_prev and b_prev.",
            "The path is w^{L−1} → z^{L−1} → a^{L−1}, then on to C_i. The chain rule multiplies "
            "one factor per step; for everything after a^{L−1} the factor is dC_da_prev.",
            "The two new steps are read off (1) and (2) for layer L−1, with σ′ taken at that "
            "layer's own weighted input.",
        ],
        correct="∂C_i/∂w^{L−1} = a^{L−2} · σ′(z^{L−1}) · ∂C_i/∂a^{L−1}: layer L−1's two local "
        "factors times the number handed back from layer L.",
    )
)

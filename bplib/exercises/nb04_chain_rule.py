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
        r"$a^L - y$, one for each step of the path; section 3 derives each.",
        cases=_dC_dw_cases,
        bugs=[
            Bug(
                "no_sigma_prime",
                "The factor σ′(z) = ∂a/∂z is missing: the weight acts on a only through z.",
            ),
            Bug(
                "sigma_not_prime",
                "You used σ(z), the sigmoid's value, where the step from z to a needs its slope "
                "∂a/∂z: which function of the statement gives that slope?",
            ),
            Bug(
                "prime_of_a",
                "σ′ was evaluated at a instead of at z. The step from z to a starts at z: at "
                "which quantity must its slope be taken?",
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
                "The sign is flipped: you used y − a^L. Where a^L is above y, does C_i = ½(a^L − y)² "
                "rise or fall as a^L grows?",
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
            "Differentiate (3) by a^L as notebook 02 differentiated its cost, the ½ included.",
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
                "Your answer is twice the right one: a factor 2 entered ∂C_i/∂a^L. What "
                "did 4.1 take for it?",
            ),
            Bug(
                "sign",
                "The sign is flipped: you used y − a^L. Where a^L is above y, does C_i = ½(a^L − y)² "
                "rise or fall as a^L grows?",
            ),
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
# dC_dw_chain
# ----------------------------------------------------------------------------


_CHAIN_BUGS = [
    (
        "no_prime_handed_back",
        "The number you hand back to the layer below misses σ′(z^l). Which steps of the "
        "graph lie between a^{l−1} and a^l, and whose local derivatives did you multiply in?",
    ),
    (
        "no_weight_handed_back",
        "The number you hand back to the layer below misses the weight w^l: the step from "
        "a^{l−1} to z^l has the local derivative ∂z^l/∂a^{l−1} = w^l, by (1).",
    ),
    (
        "weight_below_handed_back",
        "You hand back through the weight of the layer below, w^{l−1}. The step from a^{l−1} "
        "to z^l belongs to layer l: its local derivative is w^l, by (1).",
    ),
    (
        "prime_only_at_output",
        "σ′ entered only at the output layer: you started from δ^L = σ′(z^L)(a^L − y) and then "
        "handed down w^l times the number alone. Each layer must multiply in its own σ′(z^l) "
        "before it uses the number it was handed and before it hands one on.",
    ),
    (
        "prime_of_last_z",
        "Every layer's σ′ was taken at the output's z^L. Each step from z^l to a^l has its "
        "own slope, σ′(z^l), at that layer's own weighted input.",
    ),
    (
        "prime_of_a",
        "σ′ was evaluated at a^l instead of at z^l: σ′ takes the weighted input.",
    ),
    (
        "weight_for_input",
        "The first factor of each weight's slope is the weight w^l itself. ∂z^l/∂w^l is what "
        "the weight multiplies in (1): the activation a^{l−1} coming in.",
    ),
    (
        "own_output",
        "The first factor of each weight's slope is the neuron's own output a^l. ∂z^l/∂w^l "
        "is what w^l multiplies in (1): the activation a^{l−1} of the layer below (x for "
        "layer 1).",
    ),
    (
        "biases",
        "Those are the biases' slopes, ∂C_i/∂b^l: each weight's slope misses its first "
        "factor, ∂z^l/∂w^l = a^{l−1}.",
    ),
    (
        "reversed",
        "Your list runs from the output back, the order you computed it in. Index it like w: "
        "None, then ∂C_i/∂w^l at index l.",
    ),
    (
        "no_none",
        "Your list starts at layer 1. Index it like w: None at index 0 (the input has no "
        "weight), then ∂C_i/∂w^l at index l.",
    ),
    (
        "stray_two",
        "Your answer is twice the right one: a factor 2 entered ∂C_i/∂a^L. What did 4.1 "
        "take for it?",
    ),
    (
        "sign",
        "The sign is flipped: you used y − a^L. Where a^L is above y, does C_i = ½(a^L − y)² "
        "rise or fall as a^L grows?",
    ),
]


def _dC_dw_chain_cases():
    return [
        (0.8, 1.0, [None, 1.2, -0.7, 1.5], [None, 0.1, 0.4, -0.3]),
        (-0.6, 0.2, [None, 0.9], [None, 0.3]),
        (1.3, 0.0, [None, 0.5, -1.1, 0.8, 1.4, -0.6], [None, 0.2, -0.3, 0.1, 0.5, -0.2]),
    ]


register(
    Exercise(
        notebook="04",
        title="every weight of a chain of any length",
        signature="dC_dw_chain(x, y, w, b)",
        statement=r"""Take a chain of any number $L \ge 1$ of single neurons:
$z^l = w^l a^{l-1} + b^l$ and $a^l = \sigma(z^l)$ for $l = 1, \dots, L$, with $a^0 = x$ and the
cost $C_i = \tfrac12(a^L - y)^2$. Write `dC_dw_chain(x, y, w, b)` returning the slope
$\partial C_i/\partial w^l$ of every weight. `w` and `b` are lists indexed by layer, like `net.W`
and `net.b`: `w[l]` is $w^l$, and `w[0]`, `b[0]` are `None` (the input has no parameters);
section 1's chain is `w = [None, w_prev, w_L]`, `b = [None, b_prev, b_L]`. Return a list indexed
the same way, `None` first. Do not walk each weight's path from scratch: 4.2's number,
$\partial C_i/\partial a^{L-1}$, is all that layer $L-1$ needs to know about the layer above it. Go
from the output back, and let each layer hand one number to the layer below: what does a layer
do with the number it is handed, and what does it hand on?""",
        explanation=r"The forward pass keeps every $z^l$ and $a^l$. Going back, `g` is "
        r"$\partial C_i/\partial a^l$, starting from $a^L - y$; layer $l$ multiplies it by "
        r"$\sigma'(z^l)$, its weight's slope is $a^{l-1}$ times that product, and it hands back "
        r"$w^l\,\sigma'(z^l)\,g = \partial C_i/\partial a^{l-1}$, 4.2's number one layer lower. "
        r"Each layer further back adds one factor $w\,\sigma'(z)$. That backward loop is "
        r"backpropagation on a chain.",
        cases=_dC_dw_chain_cases,
        bugs=[Bug(key, msg) for key, msg in _CHAIN_BUGS],
        hints=[
            "First the forward pass, keeping every z^l and a^l in lists (a^0 = x): the backward "
            "pass needs them.",
            "Going back, keep one number g = ∂C_i/∂a^l. At the output it is ∂C_i/∂a^L, the "
            "last factor of 4.1. For layer l, 4.1 says how to turn g into ∂C_i/∂w^l, and 4.2 "
            "says what to hand back: ∂C_i/∂a^{l−1}.",
            "Loop over the layers from L down to 1 (range(L, 0, -1), with L = len(w) - 1), "
            "filling a list [None] * (L + 1) at index l.",
        ],
        correct="Right for chains of 1, 3 and 5 neurons: each layer multiplies the number "
        "handed down, ∂C_i/∂a^l, by σ′(z^l), takes a^{l−1} times that as its weight's slope, "
        "and hands w^l times it down. That is backpropagation on a chain.",
    )
)

"""Notebook 11, backprop is reverse-mode autodiff: every partial of a product, without division; tanh as a node of the graph."""

from __future__ import annotations

import math

import numpy as np

from .checker import Bug, Exercise, register

# ----------------------------------------------------------------------------
# product_gradient
# ----------------------------------------------------------------------------


register(
    Exercise(
        notebook="11",
        title="every partial of a product, without division",
        imports="import numpy as np",
        signature="product_gradient(x)",
        statement=r"""Write `product_gradient(x)`: the gradient of $p = x_1 x_2 \cdots x_n$, the
vector of $\partial p / \partial x_i = \prod_{j \ne i} x_j$. The quick answer, $p / x_i$, fails as
soon as one $x_i$ is 0, and computing each entry afresh costs $n - 1$ multiplications, $n^2$ in
all. Find an answer with no division and $O(n)$ multiplications.

Think of the product as a chain graph, $p_1 = x_1$, $p_i = p_{i-1}\, x_i$, $p = p_n$: what do a
forward pass and one reverse sweep (equation (3)) compute on it? `x` is a 1-D array with $n \ge 2$
entries; return an array of the same shape.""",
        explanation=r"The forward pass stores the products before $x_i$; the reverse sweep carries "
        r"$\bar p_i = \partial p/\partial p_i = x_{i+1} \cdots x_n$ back from $\bar p_n = 1$; their "
        r"product is $\partial p/\partial x_i$. Two sweeps of $n$ multiplications each, as reverse "
        r"mode promises: one forward, one backward.",
        cases=lambda: [
            (np.array([1.5, -2.0, 0.5, 3.0, -1.2]),),
            (np.array([2.0, 0.0, -1.5, 4.0]),),
            (np.array([0.0, 3.0, 0.0, 2.0, 5.0]),),
            (np.array([0.7, -1.3]),),
        ],
        bugs=[
            Bug(
                "before_only",
                "Entry i is the product of the x_j before x_i only: the forward pass. The x_j after "
                "x_i are missing; they are what the reverse sweep carries back.",
            ),
            Bug(
                "after_only",
                "Entry i is the product of the x_j after x_i only: the reverse sweep. Multiply by "
                "the product of the x_j before x_i, from the forward pass.",
            ),
            Bug(
                "with_self",
                "Every entry is the whole product p, x_i included. Leave x_i out of entry i.",
            ),
            Bug(
                "sum_rule",
                "Every entry is 1: that is the gradient of the sum x_1 + ... + x_n, not of the "
                "product.",
            ),
        ],
        hints=[
            "With x = (a, b, c, d) the answer is (bcd, acd, abd, abc). Entry 3 is (ab)·(d): "
            "the product of everything before x_3 times everything after it.",
            "One loop from the left builds the products before each x_i; one loop from the "
            "right builds the products after it. Multiply them entry by entry.",
        ],
        correct="Products before x_i (forward) times products after x_i (reverse): no division.",
    )
)
# The division answer, p / x, is right on case 0 and returns 0/0 = NaN on case 1, which check()
# reports as a division by zero: it needs no Bug of its own.


# ----------------------------------------------------------------------------
# value_tanh: tanh as a node of the notebook's computational graph
# ----------------------------------------------------------------------------
class Value:
    """The ``Value`` of notebook 11, section 1, with its ``backward`` (section 1, step two).

    A number in a computational graph: its value, and each parent with the local derivative.
    The same code as the notebook's cells, so that the exercise's solution cell runs alone.
    """

    def __init__(self, data, parents=()):
        self.data = float(data)
        self.parents = parents  # ((u, dv/du), ...): filled by the operation
        self.grad = 0.0  # the adjoint dC/dv, filled by backward()

    def __repr__(self):
        return f"Value({self.data:.4g}, grad={self.grad:.4g})"

    def __float__(self):  # the value alone (the notebook's class has no need of it)
        return self.data

    def __add__(self, other):  # v = u1 + u2: local derivatives 1 and 1
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):  # v = u1 * u2: local derivatives u2 and u1
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    def __neg__(self):  # v = -u: local derivative -1
        return Value(-self.data, ((self, -1.0),))

    def __sub__(self, other):
        return self + (-other)

    __radd__, __rmul__ = __add__, __mul__  # 2 + v, 0.5 * v

    def sigmoid(self):  # v = sigma(u): local derivative sigma(u)(1 - sigma(u))
        s = 1.0 / (1.0 + math.exp(-self.data))
        return Value(s, ((self, s * (1.0 - s)),))

    def backward(self):
        order = topological_order(self)
        for node in order:
            node.grad = 0.0  # fresh adjoints on every call
        self.grad = 1.0  # dC/dC = 1
        for node in reversed(order):  # children before parents
            for parent, local in node.parents:
                parent.grad += node.grad * local  # one term per child, added up


def topological_order(root):
    """Every node that ``root`` depends on, parents before children (iterative depth-first)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent, _ in reversed(node.parents))
    return order


def _tanh_results(v, args):
    """What the check compares: tanh(u), then u.grad after ``v.backward()`` (the stored local
    derivative, times the adjoint 1), then df/du for f = u * tanh(u), where u is used twice.

    The node the student returned is used as it is; f is built with the graph's own product.
    Numbers, arrays of numbers and None pass through, for the checker to describe.
    """
    (u,) = args
    if v is None or isinstance(v, (np.ndarray, np.number)) and v.dtype != object:
        return v
    if isinstance(v, np.ndarray):  # nodes in an array: each one's results, one more axis
        return np.array([_tanh_results(node, args) for node in v.ravel()]).reshape(v.shape + (3,))
    if not (hasattr(v, "data") and hasattr(v, "parents") and hasattr(v, "backward")):
        raise TypeError(
            f"it returned {type(v).__name__} {str(v)[:40]!r}, not a node of the graph: return "
            "a new Value, with its value and its parent u with the local derivative"
        )
    v.backward()
    local = u.grad
    f = u * v  # u is a parent twice: directly, and through v
    f.backward()
    return np.array([v.data, local, u.grad])


def _tanh_cases():
    return [(Value(0.8),), (Value(-1.5),), (Value(0.3),), (Value(2.2),)]


register(
    Exercise(
        notebook="11",
        title=r"$\tanh$ in the graph",
        imports="import math\n\nfrom bplib.exercises.nb11_autodiff import Value  # section 1's Value, so "
        "that this cell runs alone",
        signature="value_tanh(u)",
        statement=r"""The `Value` class of section 1 knows $+$, $\times$, $-$ and $\sigma$. Add the
activation that notebooks 01 and 10 use next to the sigmoid: write `value_tanh(u)`, which returns
a new node $v = \tanh(u)$ of the graph. Store in it what the reverse sweep (3) needs from this
operation, and nothing else: `backward` does the rest.

The check builds the node from a `Value` $u$, runs `backward` from it, and then runs it again
from $f = u \cdot \tanh(u)$, a small expression in which $u$ is used twice; it compares $\tanh(u)$,
$\partial v/\partial u$ and $\mathrm{d}f/\mathrm{d}u$ with the right values (which agree with
central differences). Once it says correct, `Value.tanh = value_tanh` makes it a method:
`(w * x + b).tanh()`.""",
        explanation=r"A node stores its value and, for each parent, the local derivative of "
        r"this one operation: $\mathrm{d}\tanh(u)/\mathrm{d}u = 1 - \tanh^2(u)$, computed from "
        r"the value just computed, as `sigmoid` does with $\sigma(1 - \sigma)$. The chain rule is "
        r"not written here: `backward` multiplies the stored local derivative by the child's "
        r"adjoint, and adds up the two uses of $u$ in $u \cdot \tanh(u)$, "
        r"$\mathrm{d}f/\mathrm{d}u = \tanh(u) + u\,(1 - \tanh^2(u))$.",
        cases=_tanh_cases,
        collect=_tanh_results,
        bugs=[
            Bug(
                "tanh_as_local",
                "The local derivative you stored is tanh(u) itself. The derivative of tanh is "
                "1 − tanh²(u), not tanh(u) (that holds for exp only).",
            ),
            Bug(
                "one_plus",
                "The local derivative you stored is 1 + tanh²(u): the sign is flipped. "
                "d tanh(u)/du = 1 − tanh²(u), which is at most 1.",
            ),
            Bug(
                "input_squared",
                "The local derivative you stored is 1 − u²: the square belongs to the output "
                "tanh(u), not to the input u. d tanh(u)/du = 1 − tanh²(u).",
            ),
            Bug(
                "sigmoid_form",
                "The local derivative you stored is t(1 − t) with t = tanh(u): that is the form "
                "of the sigmoid's σ(1 − σ). For tanh it is 1 − t².",
            ),
            Bug(
                "one_minus_t",
                "The local derivative you stored is 1 − tanh(u): the tanh is not squared. "
                "d tanh(u)/du = 1 − tanh²(u), written with the value t = tanh(u) just computed.",
            ),
            Bug(
                "no_parent",
                "u.grad stays 0 after backward: either the new node lists no parent, or the "
                "local derivative stored with u is 0 (it is the derivative of tanh alone; "
                "backward multiplies it by the adjoint, so no .grad belongs in it). List "
                "`((u, dv_du),)` as the other operations do.",
            ),
        ],
        hints=[
            "Look at what each operation of section 1 gives the new node: its value, and one "
            "pair (parent, local derivative) per parent. tanh(u) has one parent, u; its local "
            "derivative is the derivative of tanh at u. Compare yours with a central difference "
            "of math.tanh at u.data (notebook 09).",
            "The local derivative is the derivative of this one operation with respect to its "
            "input, at the current value; no adjoint appears in it, because backward multiplies "
            "by the adjoint itself. What is d tanh(u)/du, written with tanh(u)?",
        ],
        correct="The node holds tanh(u) and its local derivative 1 − tanh²(u); backward adds the "
        "two uses of u in u · tanh(u) correctly.",
    )
)


# ----------------------------------------------------------------------------
# autograd_gradients: a network's gradients the way one gets them from PyTorch
# ----------------------------------------------------------------------------
def _autograd_cases():
    out = []
    for seed, sizes, n in ((1111, [2, 3, 1], 4), (1112, [3, 4, 2, 1], 3), (1113, [1, 2, 2], 2)):
        r = np.random.default_rng(seed)
        pairs = list(zip(sizes[:-1], sizes[1:]))
        W = [None] + [r.normal(0, 1.0, (o, i)) for i, o in pairs]
        b = [None] + [r.normal(0, 0.5, o) for _, o in pairs]
        X = r.normal(0, 1, (n, sizes[0]))
        Y = r.normal(0, 1, (n, sizes[-1]))
        out.append((W, b, X, Y))
    return out


def _has_nodes(x):
    if isinstance(x, (list, tuple)):
        return any(_has_nodes(v) for v in x)
    if isinstance(x, np.ndarray) and x.dtype == object:
        return any(_has_nodes(v) for v in x.ravel())
    return hasattr(x, "grad") and hasattr(x, "parents")


def _autograd_results(out, args):
    """The returned gradients as they are; a node of the graph gets its own message."""
    if _has_nodes(out):
        raise TypeError(
            "it returned nodes of the graph (Values), not numbers: read each parameter's "
            "adjoint, its `.grad`, into the arrays"
        )
    return out


register(
    Exercise(
        notebook="11",
        title="a network's gradients the PyTorch way",
        imports="import numpy as np\n\nfrom bplib.exercises.nb11_autodiff import Value  # section 1's "
        "Value, with its backward",
        signature="autograd_gradients(W, b, X, Y)",
        statement=r"""With PyTorch you never write BP1–BP4: you make the parameters tensors
that require gradients, compute the loss from them, call `loss.backward()`, and read each
parameter's `.grad` (section 6). Do the same with the notebook's `Value`, for a network that is
not section 2's: **sigmoid hidden layers and a linear output layer**, $a^L = z^L$ (no $\sigma$ on
the output, as in regression), trained on the cost of notebook 02 **without** bplib's ½,

$$C = \frac1n \sum_{i=1}^{n} \sum_j \big(a^L_{ij} - y_{ij}\big)^2 .$$

Write `autograd_gradients(W, b, X, Y)`: make every weight and bias a `Value`, compute $C$ from
them one operation at a time, call `backward` once from $C$, and return `(grad_W, grad_b)`, lists
indexed by layer like `W` and `b` (`grad_W[0]` is `None`), where `grad_W[l][j, k]` is
$\partial C/\partial w^l_{jk}$ and `grad_b[l][j]` is $\partial C/\partial b^l_j$, arrays shaped like
`W[l]` and `b[l]`. Any number of layers. Write no derivative at all: the only ones are the local
derivatives that `Value`'s operations store. `W[l]` is $W^l$, stored `(n_l, n_{l-1})`; rows of
`X` and `Y` are examples.

The check compares your `.grad`s with BP1–BP4 on the same network. Once it says correct, make
that comparison yourself: `bplib.backprop(W, b, sigmas, bplib.quadratic, X, Y)`, with
`sigmas = [None] + [bplib.sigmoid] * (L - 1) + [bplib.identity]`, runs BP1–BP4 on this network
with bplib's cost. By what factor do its gradients differ from yours, and why?""",
        explanation=r"Nothing in this function knows BP1–BP4: the forward pass records every "
        r"product, sum and $\sigma$ with its local derivatives, and one reverse sweep from $C$ fills "
        r"in every adjoint. The changes from section 2, no $\sigma$ on the last layer and no ½, "
        r"change only the forward code; `backward` follows them. BP1 for this network, "
        r"$\delta^L = \tfrac2n (a^L - y)$ with no $\sigma'$, is what the sweep computes at the "
        r"$z^L$ nodes, and BP2–BP4 carry it back as before. `bplib.backprop`'s gradients are half of "
        r"these, because bplib's cost has the ½. This is how PyTorch is used: write the forward "
        r"pass, let reverse mode write the backward pass.",
        cases=_autograd_cases,
        collect=_autograd_results,
        bugs=[
            Bug(
                "half",
                "Every gradient is half the right one: the cost here is the one of notebook 02, "
                "Σ_j (a_j − y_j)² per example, without the ½ of section 2's `scalar_cost`.",
            ),
            Bug(
                "sigmoid_output",
                "These are the gradients of a network with a sigmoid on the output layer too. "
                "Here the output is linear: a^L = z^L, σ only on the hidden layers.",
            ),
            Bug(
                "no_mean",
                "Every gradient is n times the right one: C is the mean over the n examples, so "
                "multiply the sum of the example costs by 1/n.",
            ),
            Bug(
                "last_example",
                "Only the last example counts: C is overwritten in the loop over the examples "
                "instead of adding each example's cost to it.",
            ),
            Bug(
                "no_backward",
                "Every gradient is 0: the adjoints are read before `backward` has filled them "
                "in. Call `C.backward()` once the whole cost is built, then read the `.grad`s.",
            ),
        ],
        hints=[
            "Three steps, as with PyTorch. (1) The parameters: a Value for every entry of "
            "every W[l] and b[l], kept in nested lists so that you can find them again. "
            "(2) The forward pass and the cost, with those Values, one example at a time. "
            "(3) C.backward(), then the .grad of each parameter, back into arrays of the "
            "right shapes.",
            "z^l_j = Σ_k w^l_jk a^{l−1}_k + b^l_j as a Python sum of Value products, "
            "a^l_j = z^l_j.sigmoid() for the hidden layers only. Add each example's "
            "Σ_j (a^L_j − y_j)(a^L_j − y_j) to C, and multiply by 1/n at the end.",
        ],
        correct="The adjoints of the weights and biases, from one backward sweep, are the "
        "gradients that BP1–BP4 give for this network.",
    )
)

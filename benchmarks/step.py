r"""Training-step throughput: one SGD step on one mini-batch, four ways.

- **bplib**: what ``Network.fit`` does for each mini-batch: ``bplib.backprop``
  (BP1-BP4) and the in-place update :math:`\theta \leftarrow \theta - \eta\nabla C`
  (:func:`bplib.training.descend`).
- **loop**: the same equations one example at a time, each example a column
  vector, the gradients summed over the batch and then applied: the textbook
  code, Nielsen's ``network.py`` ``update_mini_batch`` + ``backprop``.
- **torch**: PyTorch CPU autograd on the same network, data, dtype and
  threads: ``nn.Linear`` + ``nn.Sigmoid`` layers, the same quadratic cost,
  ``loss.backward()`` and ``torch.optim.SGD``.
- **ceiling**: only the matrix products one step needs (``z = a W^T`` per
  layer, ``delta W`` per hidden layer, ``delta^T a`` per layer), into
  preallocated arrays: what a step would cost if nothing but the BLAS ran.

All four start from the same weights; before timing, one step of each is
checked to give the same new weights as bplib.
"""

from __future__ import annotations

import numpy as np
from common import Interleaved, fmt_time, import_torch, median, paired_ratio

import bplib
from bplib.training import descend

NETWORKS = ([784, 30, 10], [784, 100, 10], [64, 32, 10])
BATCHES = (1, 10, 64, 256)
DTYPES = (np.float64, np.float32)
ETA = 0.5


def make_data(sizes, batch, dtype, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((batch, sizes[0])).astype(dtype)
    Y = np.zeros((batch, sizes[-1]), dtype)
    Y[np.arange(batch), rng.integers(0, sizes[-1], batch)] = 1
    return X, Y


# -- the four implementations: each takes its own copy of the parameters -------------
def bplib_step(net, X, Y, eta):
    W, b, sigmas, cost = net.W, net.b, net.sigmas, net.cost_function
    eta = net.dtype.type(eta)

    def step():
        grad_W, grad_b = bplib.backprop(W, b, sigmas, cost, X, Y)
        descend(W, b, grad_W, grad_b, eta)

    return step, lambda: ([w.copy() for w in W[1:]], [v.copy() for v in b[1:]])


def loop_step(net, X, Y, eta):
    """The textbook per-example loop: Nielsen's ``update_mini_batch`` and ``backprop``.

    Transcribed from ``network.py`` of "Neural Networks and Deep Learning"
    (chapter 1-2 code): each example is a column vector, ``backprop`` returns
    fresh gradient arrays for one example, ``update_mini_batch`` sums them over
    the batch and then takes the step. Only the dtype is kept (Nielsen's
    ``np.zeros`` would turn float32 into float64) and the activation is
    bplib's sigmoid, so that both sides compute the same function.
    """
    weights = [w.copy() for w in net.W[1:]]  # Nielsen's lists start at layer 1
    biases = [v.reshape(-1, 1).copy() for v in net.b[1:]]  # biases as columns
    sigmoid, sigmoid_prime = bplib.sigmoid.fn, bplib.sigmoid.prime
    num_layers = len(weights) + 1
    mini_batch = [(x.reshape(-1, 1), y.reshape(-1, 1)) for x, y in zip(X, Y)]

    def backprop(x, y):
        nabla_b = [np.zeros(b.shape, b.dtype) for b in biases]
        nabla_w = [np.zeros(w.shape, w.dtype) for w in weights]
        activation = x
        activations = [x]
        zs = []
        for b, w in zip(biases, weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        delta = (activations[-1] - y) * sigmoid_prime(zs[-1])  # BP1
        nabla_b[-1] = delta  # BP3
        nabla_w[-1] = np.dot(delta, activations[-2].transpose())  # BP4
        for l in range(2, num_layers):
            z = zs[-l]
            sp = sigmoid_prime(z)
            delta = np.dot(weights[-l + 1].transpose(), delta) * sp  # BP2
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
        return nabla_b, nabla_w

    def update_mini_batch():
        nabla_b = [np.zeros(b.shape, b.dtype) for b in biases]
        nabla_w = [np.zeros(w.shape, w.dtype) for w in weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        weights[:] = [w - (eta / len(mini_batch)) * nw for w, nw in zip(weights, nabla_w)]
        biases[:] = [b - (eta / len(mini_batch)) * nb for b, nb in zip(biases, nabla_b)]

    return update_mini_batch, lambda: (
        [w.copy() for w in weights],
        [v.ravel().copy() for v in biases],
    )


def torch_step(net, X, Y, eta):
    torch = import_torch()
    dtype = torch.float64 if net.dtype == np.float64 else torch.float32
    layers = []
    for W, b in zip(net.W[1:], net.b[1:]):
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, torch.nn.Sigmoid()]
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=eta)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)

    def step():
        optimizer.zero_grad()
        a = model(Xt)
        loss = 0.5 * ((a - Yt) ** 2).sum(dim=1).mean()  # the same quadratic cost
        loss.backward()
        optimizer.step()

    def params():
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
        return (
            [m.weight.detach().numpy().copy() for m in linears],
            [m.bias.detach().numpy().copy() for m in linears],
        )

    return step, params


def ceiling_step(net, X, Y, eta):
    """Only the products, into preallocated arrays filled with realistic values."""
    W = [None] + [w.copy() for w in net.W[1:]]  # indexed by layer, like bplib
    L, n, dtype = net.L, X.shape[0], net.dtype
    rng = np.random.default_rng(1)
    a = [X] + [rng.random((n, w.shape[0])).astype(dtype) for w in W[1:]]
    delta = [None] + [rng.standard_normal((n, w.shape[0])).astype(dtype) * 0.1 for w in W[1:]]
    grad_W = [None] + [np.empty_like(w) for w in W[1:]]

    def step():
        for l in range(1, L + 1):
            np.matmul(a[l - 1], W[l].T, out=a[l])  # z^l = a^{l-1} (W^l)^T
        for l in range(L, 0, -1):
            np.matmul(delta[l].T, a[l - 1], out=grad_W[l])  # (delta^l)^T a^{l-1}
            if l > 1:
                np.matmul(delta[l], W[l], out=delta[l - 1])  # delta^l W^l

    return step, None


IMPLS = {
    "bplib": ("numpy", bplib_step),
    "loop": ("numpy", loop_step),
    "ceiling": ("numpy", ceiling_step),
    "torch": ("torch", torch_step),
}


def check_same_step(sizes, dtype, with_torch):
    """One step of bplib, the loop and PyTorch from the same start gives the same weights."""
    X, Y = make_data(sizes, 10, dtype, seed=2)
    results = {}
    for name in ["bplib", "loop"] + (["torch"] if with_torch else []):
        net = bplib.Network(sizes, dtype=dtype, seed=0)
        step, params = IMPLS[name][1](net, X, Y, ETA)
        step()
        results[name] = params()
    tol = 1e-10 if dtype == np.float64 else 2e-5
    for name, (W, b) in results.items():
        for l, (w_ref, b_ref) in enumerate(zip(*results["bplib"])):
            err = max(np.abs(W[l] - w_ref).max(), np.abs(b[l] - b_ref).max())
            if err > tol:
                raise AssertionError(
                    f"{name} and bplib disagree after one step on {sizes} "
                    f"{np.dtype(dtype).name}, layer {l + 1}: {err:.2g} > {tol}"
                )
    return tol


def run(networks=NETWORKS, batches=BATCHES, dtypes=DTYPES, rounds=7, target=0.02, log=print):
    """Time the grid; return (rows, notes). Each row is a dict of the measured figures."""
    torch = import_torch()
    names = [n for n in IMPLS if torch is not None or IMPLS[n][0] != "torch"]
    notes = []
    for sizes in networks:
        for dtype in dtypes:
            check_same_step(sizes, dtype, torch is not None)
        notes.append(
            f"{sizes}: {', '.join(n for n in names if n != 'ceiling')} give the same "
            f"weights after one step (float64 to 1e-10, float32 to 2e-5)"
        )
    timer, configs = Interleaved(target), []
    with np.errstate(all="ignore"):
        for sizes in networks:
            for dtype in dtypes:
                for batch in batches:
                    X, Y = make_data(sizes, batch, dtype)
                    impls = {}
                    for name in names:
                        kind, make = IMPLS[name]
                        net = bplib.Network(sizes, dtype=dtype, seed=0)
                        impls[name] = (kind, make(net, X, Y, ETA)[0])
                    configs.append((sizes, dtype, batch, timer.add(impls)))
        log(f"  calibrated {len(configs)} configurations; {rounds} rounds over all of them")
        for _ in range(rounds):
            timer.round()
    rows = []
    for sizes, dtype, batch, times in configs:
        row = {"network": sizes, "dtype": np.dtype(dtype).name, "batch": batch}
        for name in names:
            row[name] = median(times[name])
        row["vs_loop"] = paired_ratio(times["loop"], times["bplib"])
        row["vs_torch"] = paired_ratio(times["torch"], times["bplib"]) if torch else None
        row["of_ceiling"] = paired_ratio(times["ceiling"], times["bplib"])
        row["ceiling_vs_loop"] = paired_ratio(times["loop"], times["ceiling"])
        rows.append(row)
        log(
            f"  {str(sizes):15s} {row['dtype']:7s} batch {batch:3d}: bplib "
            f"{fmt_time(row['bplib']):>9s}  {row['vs_loop']:6.1f}x loop  "
            + (f"{row['vs_torch']:5.2f}x torch  " if torch else "")
            + f"{100 * row['of_ceiling']:4.0f}% of ceiling"
        )
    return rows, notes


def table(rows):
    """The rows as a markdown table."""
    has_torch = any(r["vs_torch"] is not None for r in rows)
    head = ["network", "dtype", "batch", "bplib / step", "loop", "ceiling"]
    head += ["torch", "bplib vs torch"] if has_torch else ["torch"]
    head += ["bplib vs loop", "bplib % of ceiling"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [
            str(r["network"]),
            r["dtype"],
            str(r["batch"]),
            fmt_time(r["bplib"]),
            fmt_time(r["loop"]),
            fmt_time(r["ceiling"]),
        ]
        if has_torch:
            cells += [fmt_time(r["torch"]), f"{r['vs_torch']:.2f}x"]
        else:
            cells += ["skipped"]
        cells += [f"{r['vs_loop']:.1f}x", f"{100 * r['of_ceiling']:.0f}%"]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def goals(rows):
    """Each goal of issues 7 and 2 as (text, met or None, detail)."""
    out = []
    has_torch = any(r["vs_torch"] is not None for r in rows)

    def check(text, selected, key, bound):
        if not selected:
            return
        if key == "vs_torch" and not has_torch:
            out.append((text, None, "PyTorch not installed"))
            return

        def value(r):
            return f"{100 * r[key]:.0f}%" if key == "of_ceiling" else f"{r[key]:.2f}x"

        worst = min(selected, key=lambda r: r[key])
        detail = (
            f"worst {value(worst)} ({worst['network']} {worst['dtype']} batch {worst['batch']})"
        )
        networks = list(dict.fromkeys(str(r["network"]) for r in selected))
        if len(networks) > 1:
            per = [
                min((r for r in selected if str(r["network"]) == n), key=lambda r: r[key])
                for n in networks
            ]
            detail += "; worst per network: " + ", ".join(
                f"{n} {value(r)}" + ("" if r[key] >= bound else " (missed)")
                for n, r in zip(networks, per)
            )
        if key == "vs_loop":
            detail += (
                f"; the matrix products alone are {worst['ceiling_vs_loop']:.1f}x the loop "
                "in the same rounds"
            )
        out.append((text, worst[key] >= bound, detail))

    check(
        "bplib >= 1.0x PyTorch autograd on every network at batch >= 10",
        [r for r in rows if r["batch"] >= 10],
        "vs_torch",
        1.0,
    )
    check(
        "bplib >= 2x PyTorch on [64, 32, 10] at batch <= 64",
        [r for r in rows if r["network"] == [64, 32, 10] and r["batch"] <= 64],
        "vs_torch",
        2.0,
    )
    check(
        "bplib >= 60% of the GEMM ceiling at batch 256",
        [r for r in rows if r["batch"] == 256],
        "of_ceiling",
        0.6,
    )
    sel = [
        r
        for r in rows
        if r["network"] == [784, 100, 10] and r["batch"] == 64 and r["dtype"] == "float64"
    ]
    check(
        "issue 2: [784, 100, 10] float64 batch 64 >= 20x the per-example loop", sel, "vs_loop", 20.0
    )
    check("issue 2: [784, 100, 10] float64 batch 64 >= 50% of the ceiling", sel, "of_ceiling", 0.5)
    return out

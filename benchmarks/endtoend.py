"""End-to-end training: the wall time of a whole ``fit``, and the accuracy it reaches.

Two runs, each with bplib and, beside it, the same training in PyTorch (the
same initial weights, the same shuffled mini-batches in the same order, the
same cost, learning rate and dtype, and the training cost recorded after every
epoch as ``fit`` does):

- MNIST digits: ``bplib.load_digits()``, 4,000 for training and 1,000 for
  testing, a [784, 30, 10] sigmoid network, quadratic cost, 30 epochs,
  mini-batches of 10, eta = 3.0 (Nielsen's setting);
- the 2-D set of notebook 08: ``bplib.moons(200, noise=0.15, seed=0)``, a
  [2, 8, 1] network with tanh hidden units and a sigmoid output, 200 epochs,
  mini-batches of 20, eta = 3.0; accuracy on 1,000 new points (seed 1).

Each run is repeated and the median wall time is reported; bplib and PyTorch
alternate, with a pause at each switch.
"""

from __future__ import annotations

import time

import numpy as np
from common import fmt_time, import_torch, median, pause

import bplib


def digits_task(n_train=4000, n_test=1000, epochs=30):
    X, y = bplib.load_digits()
    return dict(
        name=f"MNIST digits {n_train}/{n_test}, [784, 30, 10] sigmoid, {epochs} epochs, "
        "batch 10, eta 3.0",
        X=X[:n_train],
        Y=bplib.one_hot(y[:n_train], 10),
        X_test=X[n_train : n_train + n_test],
        y_test=y[n_train : n_train + n_test],
        sizes=[784, 30, 10],
        activation="sigmoid",
        output_activation="sigmoid",
        epochs=epochs,
        batch_size=10,
        eta=3.0,
    )


def moons_task(epochs=200):
    X, y = bplib.moons(200, noise=0.15, seed=0)
    X_test, y_test = bplib.moons(1000, noise=0.15, seed=1)
    return dict(
        name=f"notebook 08 moons (200 points), [2, 8, 1] tanh/sigmoid, {epochs} epochs, "
        "batch 20, eta 3.0",
        X=X,
        Y=y.reshape(-1, 1).astype(float),
        X_test=X_test,
        y_test=y_test,
        sizes=[2, 8, 1],
        activation="tanh",
        output_activation="sigmoid",
        epochs=epochs,
        batch_size=20,
        eta=3.0,
    )


def run_bplib(task, dtype):
    net = bplib.Network(
        task["sizes"],
        activation=task["activation"],
        output_activation=task["output_activation"],
        seed=0,
        dtype=dtype,
    )
    start = time.perf_counter()
    history = net.fit(
        task["X"],
        task["Y"],
        epochs=task["epochs"],
        batch_size=task["batch_size"],
        eta=task["eta"],
        seed=0,
        progress=False,
    )
    seconds = time.perf_counter() - start
    return seconds, net.accuracy(task["X_test"], task["y_test"]), history.cost[-1]


def run_torch(task, dtype):
    torch = import_torch()
    tdtype = torch.float64 if dtype == np.float64 else torch.float32
    ref = bplib.Network(task["sizes"], seed=0, dtype=dtype)  # the same initial weights
    act = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}
    layers = []
    for l in range(1, ref.L + 1):
        W, b = ref.W[l], ref.b[l]
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=tdtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        last = l == ref.L
        layers += [linear, act[task["output_activation" if last else "activation"]]()]
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=task["eta"])
    X = torch.from_numpy(np.ascontiguousarray(task["X"], dtype=dtype))
    Y = torch.from_numpy(np.ascontiguousarray(task["Y"], dtype=dtype))
    n, m = len(X), task["batch_size"]

    def cost(a, y):
        return 0.5 * ((a - y) ** 2).sum(dim=1).mean()

    start = time.perf_counter()
    rng = np.random.default_rng(0)  # fit's shuffling: the same batches in the same order
    costs = []
    for _ in range(task["epochs"]):
        order = torch.from_numpy(rng.permutation(n))
        X_shuffled, Y_shuffled = X[order], Y[order]
        for start_row in range(0, n, m):
            optimizer.zero_grad()
            loss = cost(
                model(X_shuffled[start_row : start_row + m]), Y_shuffled[start_row : start_row + m]
            )
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            costs.append(float(cost(model(X), Y)))
    seconds = time.perf_counter() - start
    with torch.no_grad():
        a = model(torch.from_numpy(np.asarray(task["X_test"], dtype=dtype))).numpy()
    predicted = a.argmax(axis=1) if a.shape[1] > 1 else (a[:, 0] > 0.5).astype(int)
    return seconds, float(np.mean(predicted == task["y_test"])), costs[-1]


def run(tasks=None, dtypes=(np.float64, np.float32), repeats=3, log=print):
    tasks = tasks if tasks is not None else [digits_task(), moons_task()]
    has_torch = import_torch() is not None
    rows = []
    for task in tasks:
        for dtype in dtypes:
            results = {"bplib": [], "torch": []}
            for _ in range(repeats):
                results["bplib"].append(run_bplib(task, dtype))
                if has_torch:
                    pause()
                    results["torch"].append(run_torch(task, dtype))
                    pause()
            row = {"task": task["name"], "dtype": np.dtype(dtype).name}
            for name, runs in results.items():
                if runs:
                    row[name] = dict(
                        seconds=median(r[0] for r in runs), accuracy=runs[-1][1], cost=runs[-1][2]
                    )
            rows.append(row)
            log(
                f"  {task['name'][:40]:40s} {row['dtype']}: bplib {fmt_time(row['bplib']['seconds'])}"
                f" acc {row['bplib']['accuracy']:.3f}"
                + (
                    f" | torch {fmt_time(row['torch']['seconds'])} acc {row['torch']['accuracy']:.3f}"
                    if has_torch
                    else ""
                )
            )
    return rows


def table(rows):
    lines = [
        "| task | dtype | bplib wall time | bplib accuracy | bplib final cost | "
        "torch wall time | torch accuracy | torch final cost | bplib speed vs torch |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        b, t = r["bplib"], r.get("torch")
        cells = [
            r["task"],
            r["dtype"],
            fmt_time(b["seconds"]),
            f"{b['accuracy']:.3f}",
            f"{b['cost']:.4f}",
        ]
        if t:
            cells += [
                fmt_time(t["seconds"]),
                f"{t['accuracy']:.3f}",
                f"{t['cost']:.4f}",
                f"{t['seconds'] / b['seconds']:.2f}x",
            ]
        else:
            cells += ["skipped", "", "", ""]
        lines.append("| " + " | ".join(cells) + " |")
    return lines

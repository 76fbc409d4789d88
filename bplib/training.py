"""Mini-batch stochastic gradient descent."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .backward import backprop
from .errors import DivergenceError

#: ``progress=None`` shows a bar in a notebook once epochs * n reaches this.
PROGRESS_THRESHOLD = 100_000


@dataclass
class History:
    """What :func:`sgd` records: one entry per epoch (index 0 = before training)."""

    cost: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)

    def __repr__(self):
        acc = f", accuracy {self.accuracy[-1]:.3f}" if self.accuracy else ""
        return (
            f"History({len(self.cost) - 1} epochs: cost {self.cost[0]:.4g} -> "
            f"{self.cost[-1]:.4g}{acc})"
        )


def _in_notebook():
    try:
        from IPython import get_ipython

        return type(get_ipython()).__name__ == "ZMQInteractiveShell"
    except ImportError:  # pragma: no cover - IPython is a dependency
        return False


class _Progress:
    """An ipywidgets progress bar in a notebook; a few text lines elsewhere.

    In a notebook the stored text of the bar is a fixed description of the
    run, so a saved notebook shows the same text however long the run took.
    """

    def __init__(self, epochs, enabled, description=""):
        self.epochs, self.enabled, self.live = epochs, enabled, False
        if enabled and _in_notebook():
            import ipywidgets as w
            from IPython.display import display

            self.bar = w.IntProgress(value=0, min=0, max=epochs, description="training")
            self.label = w.Label()
            self.box = w.HBox([self.bar, self.label])
            bundle = self.box._repr_mimebundle_()
            bundle["text/plain"] = f"training: {epochs} epochs{description}"
            display(bundle, raw=True)
            self.live = True

    def update(self, epoch, cost, acc):
        if not self.enabled:
            return
        text = f"epoch {epoch}/{self.epochs}  cost {cost:.4f}" + (
            f"  accuracy {acc:.3f}" if acc is not None else ""
        )
        if self.live:
            self.bar.value, self.label.value = epoch, text
        elif epoch == self.epochs or epoch % max(1, self.epochs // 10) == 0:
            print(text, flush=True)


def _copy(params):
    """A copy of a list of parameters indexed by layer (index 0 stays None)."""
    return [None] + [p.copy() for p in params[1:]]


def descend(W, b, grad_W, grad_b, eta):
    r"""One gradient-descent step in place: :math:`W^l \leftarrow W^l - \eta \nabla_{W^l} C`, same for b.

    Subtract: descent goes against the gradient. The lists are indexed by layer
    (index 0, the input, is ``None`` and skipped). The parameter arrays are
    updated in place, so whoever holds ``net.W[l]`` sees the change; the
    gradients are left as they were.
    """
    for W_l, b_l, grad_W_l, grad_b_l in zip(W[1:], b[1:], grad_W[1:], grad_b[1:]):
        W_l -= eta * grad_W_l  # in place: W[l] -= ... would rebind the list item
        b_l -= eta * grad_b_l


def sgd(
    net,
    X,
    Y,
    epochs=30,
    batch_size=32,
    eta=3.0,
    seed=0,
    validation_data=None,
    progress=None,
    snapshots=False,
):
    r"""Train ``net`` in place by mini-batch SGD: :math:`\theta \leftarrow \theta - \eta \nabla C`.

    Each epoch shuffles the rows with ``seed`` and takes one step per
    mini-batch, using the batch-mean gradient from BP1-BP4. ``history.cost``
    holds the training cost before training and after each epoch;
    ``history.accuracy`` the accuracy on ``validation_data=(X_val, Y_val)``;
    ``history.snapshots`` copies of ``(W, b)`` (indexed by layer) per epoch if
    ``snapshots=True``. ``progress`` shows a bar (``True``), nothing
    (``False``) or a bar only for long runs in a notebook (``None``).

    A non-finite cost raises :class:`DivergenceError`, after restoring the
    parameters of the last finite epoch.
    """
    X, Y = net.check_XY(X, Y)
    if validation_data is not None:
        X_val, Y_val = validation_data
        X_val = net.check_X(X_val)
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if not isinstance(value, (int, np.integer)) or value < (0 if name == "epochs" else 1):
            raise ValueError(
                f"{name} must be a {'non-negative' if name == 'epochs' else 'positive'} "
                f"integer; got {value!r}."
            )
    if not np.isfinite(eta) or eta <= 0:
        raise ValueError(f"the learning rate eta must be a positive number; got {eta!r}.")
    n = X.shape[0]
    batch_size = min(int(batch_size), n)
    rng = np.random.default_rng(seed)
    sigmas, cost = net.sigmas, net.cost_function
    W, b = net.W, net.b
    eta = net.dtype.type(eta)

    history = History()

    def record(epoch):
        c = float(np.mean(cost.fn(net.feedforward(X), Y)))
        acc = net.accuracy(X_val, Y_val) if validation_data is not None else None
        history.cost.append(c)
        if acc is not None:
            history.accuracy.append(acc)
        if snapshots:
            history.snapshots.append((_copy(W), _copy(b)))
        return c, acc

    bar = _Progress(
        epochs,
        progress if progress is not None else (_in_notebook() and epochs * n >= PROGRESS_THRESHOLD),
        f" of {n} examples, batch size {batch_size}, eta {float(eta):g}",
    )
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        record(0)
        for epoch in range(1, epochs + 1):
            last = (_copy(W), _copy(b))
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                idx = order[start : start + batch_size]
                grad_W, grad_b = backprop(W, b, sigmas, cost, X[idx], Y[idx])
                descend(W, b, grad_W, grad_b, eta)  # subtract: descend, not ascend (in place)
            c, acc = record(epoch)
            if not np.isfinite(c):
                for l in range(1, len(W)):
                    W[l][...], b[l][...] = last[0][l], last[1][l]
                history.cost.pop()
                if history.accuracy:
                    history.accuracy.pop()
                if snapshots:
                    history.snapshots.pop()
                raise DivergenceError(
                    f"training diverged in epoch {epoch}: the cost became {c}. The learning rate "
                    f"eta={float(eta):g} is too large for this network; try a smaller one, such as "
                    f"eta={float(eta) / 10:g}. The network was restored to its parameters after "
                    f"epoch {epoch - 1}, and the history so far is in the error's .history.",
                    history,
                )
            bar.update(epoch, c, acc)
    return history

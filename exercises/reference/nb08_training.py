"""The reference solutions and bug variants of bplib.exercises.nb08_training (not installed)."""

from __future__ import annotations


def sgd_update(W, b, grad_W, grad_b, eta):
    """One step of gradient descent for the weights and biases of every layer.

    W, b, grad_W, grad_b : lists indexed by layer, like net.W and net.b: W[l] is W^l for
    l = 1..L, and W[0] is None (the input layer has no parameters).
    Return the new lists (W, b) (or update the arrays in place and return None).
    """
    ### BEGIN SOLUTION
    new_W = [None] + [W[l] - eta * grad_W[l] for l in range(1, len(W))]
    new_b = [None] + [b[l] - eta * grad_b[l] for l in range(1, len(b))]
    return new_W, new_b
    ### END SOLUTION


def _sgd_variant(sign=-1, use_eta=True, only=None, do_W=True, do_b=True):
    """The update with a bug; ``only`` is None (every layer), "first" or "last"."""

    def fn(W, b, grad_W, grad_b, eta):
        e = eta if use_eta else 1.0
        L = len(W) - 1
        layers = range(1, L + 1) if only is None else [1 if only == "first" else L]

        def step(params, grads, do):
            return [None] + [
                params[l] + sign * e * grads[l] if do and l in layers else params[l].copy()
                for l in range(1, L + 1)
            ]

        return step(W, grad_W, do_W), step(b, grad_b, do_b)

    return fn


SOLUTIONS = [sgd_update]

BUGS = {
    "sgd_update": {
        "added": _sgd_variant(sign=+1),
        "no_eta": _sgd_variant(use_eta=False),
        "biases_not_updated": _sgd_variant(do_b=False),
        "weights_not_updated": _sgd_variant(do_W=False),
        "one_layer_only": _sgd_variant(only="last"),
        "first_layer_only": _sgd_variant(only="first"),
        "unchanged": _sgd_variant(do_W=False, do_b=False),
    },
}

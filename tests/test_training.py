"""Training: the cost goes down, seeds reproduce, history and snapshots, MNIST accuracy."""

import numpy as np
import pytest

import bplib


def test_cost_decreases_on_xor():
    X, y = bplib.xor(200, seed=0)
    net = bplib.Network([2, 8, 1], seed=0)
    history = net.fit(X, y, epochs=100, batch_size=10, eta=2.0, seed=0)
    assert len(history.cost) == 101
    assert history.cost[-1] < 0.5 * history.cost[0]
    assert net.accuracy(X, y) > 0.9


def test_same_seed_same_result_different_seed_different():
    X, y = bplib.moons(100, seed=1)
    runs = []
    for seed in (0, 0, 1):
        net = bplib.Network([2, 5, 1], seed=seed)
        net.fit(X, y, epochs=5, batch_size=8, eta=1.0, seed=seed)
        runs.append(np.concatenate([w.ravel() for w in net.W[1:]]))
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.allclose(runs[0], runs[2])


def test_history_records_accuracy_and_snapshots():
    X, y = bplib.spirals(120, seed=0)
    Y = bplib.one_hot(y)
    net = bplib.Network([2, 10, 2], seed=0)
    history = net.fit(
        X, Y, epochs=4, batch_size=16, eta=1.0, validation_data=(X, Y), snapshots=True
    )
    assert len(history.cost) == len(history.accuracy) == len(history.snapshots) == 5
    assert all(0.0 <= a <= 1.0 for a in history.accuracy)
    W, b = history.snapshots[-1]
    assert W[0] is None and b[0] is None  # indexed by layer, like net.W and net.b
    np.testing.assert_array_equal(W[1], net.W[1])
    assert not np.array_equal(history.snapshots[0][0][1], net.W[1])  # copies, not views
    assert "4 epochs" in repr(history)


def test_zero_epochs_changes_nothing():
    X, y = bplib.xor(20, seed=0)
    net = bplib.Network([2, 3, 1], seed=0)
    before = net.W[1].copy()
    history = net.fit(X, y, epochs=0)
    np.testing.assert_array_equal(before, net.W[1])
    assert len(history.cost) == 1


def test_batch_larger_than_data_is_full_batch():
    X, y = bplib.xor(20, seed=0)
    a, b = bplib.Network([2, 3, 1], seed=0), bplib.Network([2, 3, 1], seed=0)
    a.fit(X, y, epochs=2, batch_size=1000, eta=0.5)
    b.fit(X, y, epochs=2, batch_size=20, eta=0.5)
    np.testing.assert_array_equal(a.W[1], b.W[1])


def test_progress_prints_outside_a_notebook_only_when_asked(capsys):
    X, y = bplib.xor(20, seed=0)
    bplib.Network([2, 3, 1], seed=0).fit(X, y, epochs=10, eta=0.5)
    assert capsys.readouterr().out == ""  # quiet by default in tests and scripts
    bplib.Network([2, 3, 1], seed=0).fit(X, y, epochs=10, eta=0.5, progress=True)
    out = capsys.readouterr().out
    assert "epoch 10/10" in out and "cost" in out


def test_mnist_digits_reach_90_percent():
    X, y = bplib.load_digits()
    Y = bplib.one_hot(y)
    net = bplib.Network([784, 30, 10], activation="sigmoid", seed=0)
    history = net.fit(
        X[:4000],
        Y[:4000],
        epochs=30,
        batch_size=32,
        eta=3.0,
        seed=0,
        validation_data=(X[4000:], Y[4000:]),
    )
    assert history.accuracy[-1] >= 0.90
    assert net.accuracy(X[4000:], y[4000:]) == pytest.approx(history.accuracy[-1])


def test_copy_is_independent():
    net = bplib.Network([2, 3, 1], seed=0)
    twin = net.copy()
    twin.W[1][0, 0] += 1.0
    assert net.W[1][0, 0] != twin.W[1][0, 0]


def test_deepcopy_and_pickle_keep_an_independent_network():
    import copy
    import pickle

    net = bplib.Network([2, 3, 1], seed=0)
    for twin in (copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        assert twin.W[0] is None and twin.b[0] is None
        np.testing.assert_array_equal(twin.W[1], net.W[1])
        twin.b[1][0] += 1.0
        assert twin.b[1][0] != net.b[1][0]
    saved = copy.deepcopy(net.W)  # a student's way to keep the weights
    net.W[1][0, 0] += 1.0
    assert saved[1][0, 0] != net.W[1][0, 0]

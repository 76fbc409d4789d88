import numpy as np
import pytest

import bplib


@pytest.mark.parametrize("make", [bplib.xor, bplib.moons, bplib.circles, bplib.spirals])
def test_synthetic_sets_are_seeded_and_balanced(make):
    X, y = make(100, seed=3)
    X2, y2 = make(100, seed=3)
    X3, _ = make(100, seed=4)
    assert X.shape == (100, 2) and y.shape == (100,)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.allclose(X, X3)
    counts = np.bincount(y)
    assert len(counts) >= 2 and counts.min() >= 100 // len(counts) - 30


def test_spirals_with_three_classes():
    X, y = bplib.spirals(90, classes=3, seed=0)
    assert sorted(set(y)) == [0, 1, 2]
    assert np.abs(X).max() < 2


def test_one_hot():
    np.testing.assert_array_equal(bplib.one_hot(np.array([2, 0])), [[0, 0, 1], [1, 0, 0]])
    assert bplib.one_hot(np.array([1]), k=4).shape == (1, 4)
    with pytest.raises(ValueError, match="non-negative integer labels"):
        bplib.one_hot(np.array([0.5]))


def test_shipped_digits():
    X, y = bplib.load_digits()
    assert X.shape == (5000, 784) and y.shape == (5000,)
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.bincount(y).tolist() == [500] * 10
    # shuffled once, so a head/tail split has every class on both sides
    assert set(y[:4000]) == set(y[4000:]) == set(range(10))

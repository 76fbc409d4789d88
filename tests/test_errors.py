"""Bad input gets a clear message that names the layer, the expected and the received."""

import numpy as np
import pytest

import bplib
from bplib.errors import ShapeError


@pytest.fixture
def net():
    return bplib.Network([2, 3, 1], seed=0)


def test_unknown_activation_name_suggests_the_closest():
    with pytest.raises(ValueError, match=r"unknown activation 'sigmod'.*Did you mean 'sigmoid'"):
        bplib.Network([2, 3, 1], activation="sigmod")


def test_unknown_output_activation_and_cost():
    with pytest.raises(ValueError, match=r"unknown activation 'softmx'.*'softmax'"):
        bplib.Network([2, 3, 1], output_activation="softmx")
    with pytest.raises(ValueError, match=r"unknown cost 'crossentropy'.*'cross_entropy'"):
        bplib.Network([2, 3, 1], cost="crossentropy")


@pytest.mark.parametrize("sizes", [[3], [], [2, 0, 1], [2, -1], [2.5, 3]])
def test_bad_sizes(sizes):
    with pytest.raises(ValueError, match="sizes must list at least two positive integers"):
        bplib.Network(sizes)


def test_forward_wrong_number_of_columns(net):
    with pytest.raises(bplib.ShapeError, match=r"expected shape \(n, 2\), got \(4, 3\)"):
        net.feedforward(np.zeros((4, 3)))


def test_forward_transposed_batch_gets_a_hint(net):
    with pytest.raises(bplib.ShapeError, match="Did you pass the transpose"):
        net.feedforward(np.zeros((2, 5)))


def test_forward_single_vector_gets_a_hint(net):
    with pytest.raises(bplib.ShapeError, match=r"got shape \(2,\).*reshape\(1, -1\)"):
        net.feedforward(np.zeros(2))


def test_empty_batch(net):
    with pytest.raises(bplib.ShapeError, match="empty batch"):
        net.feedforward(np.zeros((0, 2)))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_input_names_the_position(net, bad):
    X = np.zeros((3, 2))
    X[1, 0] = bad
    with pytest.raises(ValueError, match=r"X contains NaN or infinity \(first at row 1, column 0"):
        net.feedforward(X)


def test_non_finite_targets(net):
    with pytest.raises(ValueError, match="Y contains NaN"):
        net.cost(np.zeros((2, 2)), np.array([[0.0], [np.nan]]))


def test_mismatched_rows(net):
    with pytest.raises(bplib.ShapeError, match="X has 3 rows but Y has 2"):
        net.gradients(np.zeros((3, 2)), np.zeros((2, 1)))


def test_wrong_target_width():
    net = bplib.Network([2, 3, 2], seed=0)
    with pytest.raises(bplib.ShapeError, match=r"Y must have 2 columns.*got \(3, 1\)"):
        net.cost(np.zeros((3, 2)), np.zeros((3, 1)))


def test_a_single_target_column_is_named_in_the_singular():
    net = bplib.Network([2, 3, 1], seed=0)
    with pytest.raises(bplib.ShapeError) as err:
        net.cost(np.zeros((3, 2)), np.zeros((3, 2)))
    assert str(err.value).startswith("Y must have 1 column (one per output neuron): expected")
    with pytest.raises(bplib.ShapeError, match=r"X must have 2 columns \(one per input\)"):
        net.feedforward(np.zeros((4, 3)))


def test_integer_arrays_are_accepted(net):
    X = np.array([[0, 1], [1, 0]])
    Y = np.array([[1], [0]])
    np.testing.assert_allclose(net.feedforward(X), net.feedforward(X.astype(float)))
    assert net.cost(X, Y) == net.cost(X.astype(float), Y.astype(float))


def test_one_dimensional_targets_for_one_output(net):
    X = np.zeros((3, 2))
    assert net.cost(X, np.ones(3)) == net.cost(X, np.ones((3, 1)))


def test_non_numeric_input(net):
    with pytest.raises(TypeError, match="numeric"):
        net.feedforward(np.array([["a", "b"]]))


def test_assigning_a_wrong_weight_shape_names_the_layer(net):
    with pytest.raises(bplib.ShapeError, match=r"W\[2\] must have shape \(1, 3\); got \(3, 1\)"):
        net.W[2] = np.zeros((3, 1))
    with pytest.raises(bplib.ShapeError, match=r"b\[1\] must have shape \(3,\)"):
        net.b = [None, np.zeros(2), np.zeros(1)]
    with pytest.raises(
        bplib.ShapeError, match="one array for each of the 2 layers; got a list of 1"
    ):
        net.W = [np.zeros((3, 2))]


def test_assigning_parameters_changes_the_network(net):
    X = np.ones((1, 2))
    before = net.feedforward(X)
    net.W[1] = np.zeros((3, 2))
    net.b[1] = np.zeros(3)
    after = net.feedforward(X)
    assert not np.allclose(before, after)
    # hidden layer is all sigma(0) = 0.5 now
    _, a = net.feedforward_layers(X)
    np.testing.assert_array_equal(a[1], [[0.5, 0.5, 0.5]])


def test_assigned_arrays_are_copied(net):
    W = np.zeros((3, 2))
    net.W[1] = W
    W[0, 0] = 99.0
    assert net.W[1][0, 0] == 0.0


def test_non_finite_parameters_rejected(net):
    with pytest.raises(ValueError, match=r"W\[1\] must be finite"):
        net.W[1] = np.full((3, 2), np.nan)


def test_layers_cannot_be_added(net):
    with pytest.raises(TypeError, match="number of layers is fixed"):
        net.W.append(np.zeros((1, 1)))


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"eta": 0.0}, "learning rate eta must be a positive number"),
        ({"eta": float("nan")}, "learning rate eta must be a positive number"),
        ({"epochs": -1}, "epochs must be a non-negative integer"),
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"batch_size": 2.5}, "batch_size must be a positive integer"),
    ],
)
def test_bad_training_arguments(net, kwargs, match):
    with pytest.raises(ValueError, match=match):
        net.fit(np.zeros((4, 2)), np.zeros((4, 1)), **kwargs)


def test_divergent_learning_rate_stops_clearly_and_loses_nothing():
    X, y = bplib.moons(100, seed=0)
    net = bplib.Network([2, 8, 1], activation="identity", seed=0)
    with pytest.raises(bplib.DivergenceError, match=r"eta=1e\+06 is too large.*eta=100000") as info:
        net.fit(X, y, epochs=20, batch_size=10, eta=1e6)
    # the network is restored to its last finite parameters, and the history is kept
    for p in net.W[1:] + net.b[1:]:
        assert np.isfinite(p).all()
    history = info.value.history
    assert history.cost and all(np.isfinite(history.cost))
    assert np.isclose(net.cost(X, y), history.cost[-1])


def test_cross_entropy_needs_a_sigmoid_output():
    with pytest.raises(ValueError, match="use output_activation='sigmoid'"):
        bplib.Network([2, 3, 2], activation="tanh", cost="cross_entropy")


def test_layers_cannot_be_multiplied_or_reordered(net):
    with pytest.raises(TypeError, match="number of layers is fixed"):
        net.W *= 2
    assert len(net.W) == 3
    with pytest.raises(TypeError, match="number of layers is fixed"):
        net.b.reverse()


@pytest.mark.parametrize("cost", ["quadratic", "cross_entropy", "categorical_cross_entropy"])
def test_a_cost_refuses_targets_that_would_broadcast(cost):
    """A flat target (n,) against an (n, 1) output would broadcast to (n, n) and give a wrong
    cost in silence: every cost's fn and grad_a refuse it and say how to fix it; a scalar
    target, which keeps the shape, is accepted."""
    from bplib.costs import get_cost

    c = get_cost(cost)
    A = np.full((4, 1), 0.5)
    for f in (c.fn, c.grad_a):
        with pytest.raises(ShapeError, match=r"\(4, 1\) and the targets \(4,\).*reshape\(-1, 1\)"):
            f(A, np.zeros(4))
        with pytest.raises(ShapeError, match="same shape"):
            f(np.full((4, 2), 0.5), np.zeros((4, 3)))
    assert c.fn(A, 0.0).shape == (4,) and c.grad_a(A, 0.0).shape == (4, 1)

"""Backprop against central finite differences and against the per-example textbook form."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bplib

ACTIVATIONS = ["sigmoid", "tanh", "relu", "identity"]
COSTS = ["quadratic", "quadratic_no_half", "cross_entropy"]


def make_cost(name):
    return bplib.Quadratic(half=False) if name == "quadratic_no_half" else name


def data(sizes, n, seed):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, sizes[0])), rng.uniform(0.05, 0.95, size=(n, sizes[-1]))


def min_abs_z(net, X):
    z, _ = net.feedforward_layers(X)
    return min(np.abs(z_l).min() for z_l in z[1:])


@pytest.mark.parametrize("activation,cost", list(itertools.product(ACTIVATIONS, COSTS)))
def test_backprop_matches_finite_differences(activation, cost):
    # cross-entropy needs outputs in (0, 1): a sigmoid output layer
    out = "sigmoid" if cost == "cross_entropy" else None
    net = bplib.Network(
        [3, 4, 3, 2], activation=activation, output_activation=out, cost=make_cost(cost), seed=1
    )
    X, Y = data(net.sizes, 5, seed=2)
    assert min_abs_z(net, X) > 1e-3  # away from the ReLU kink
    report = bplib.gradient_check(net, X, Y, eps=1e-6, tol=1e-6)
    assert report.ok, report
    assert report.bad_layers() == []


@settings(max_examples=40, deadline=None, derandomize=True)  # the same cases on every run
@given(
    sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4),
    n=st.integers(1, 6),
    activation=st.sampled_from(["sigmoid", "tanh", "identity"]),
    cost=st.sampled_from(COSTS),
    seed=st.integers(0, 2**16),
)
def test_random_shapes_match_finite_differences(sizes, n, activation, cost, seed):
    out = "sigmoid" if cost == "cross_entropy" else None
    net = bplib.Network(
        sizes, activation=activation, output_activation=out, cost=make_cost(cost), seed=seed
    )
    X, Y = data(sizes, n, seed + 1)
    grad_W, grad_b = net.gradients(X, Y)
    # eps = 1e-5 balances truncation (~eps^2) against round-off (~1e-16 C / eps): a saturated
    # sigmoid output under cross-entropy (a = 0.99998, found by this test) makes round-off large
    num_W, num_b = bplib.numerical_gradients(net, X, Y, eps=1e-5)
    for g, m in zip(grad_W[1:] + grad_b[1:], num_W[1:] + num_b[1:]):
        assert g.shape == m.shape
        # relative error <= 1e-6, with an absolute floor of 1e-9 for the round-off of central
        # differences (about machine epsilon * C / eps) when a gradient is itself tiny
        scale = np.linalg.norm(g) + np.linalg.norm(m)
        assert np.linalg.norm(g - m) <= 1e-6 * scale + 1e-9


def test_four_equations_equal_per_example_column_form():
    """The batch-as-rows BP1-BP4 equal the textbook loop over column vectors, averaged."""
    net = bplib.Network([3, 4, 2], seed=3)
    X, Y = data(net.sizes, 7, seed=4)
    grad_W, grad_b = net.gradients(X, Y)
    sigma = bplib.sigmoid
    W1, W2 = net.W[1], net.W[2]
    b1, b2 = net.b[1].reshape(-1, 1), net.b[2].reshape(-1, 1)
    sum_W = [None, np.zeros_like(W1), np.zeros_like(W2)]
    sum_b = [None, np.zeros_like(b1), np.zeros_like(b2)]
    for x, y in zip(X, Y):
        x, y = x.reshape(-1, 1), y.reshape(-1, 1)  # columns, one example
        z1 = W1 @ x + b1
        a1 = sigma.fn(z1)
        z2 = W2 @ a1 + b2
        a2 = sigma.fn(z2)
        delta2 = (a2 - y) * sigma.prime(z2)  # BP1
        delta1 = (W2.T @ delta2) * sigma.prime(z1)  # BP2, column form with the transpose
        sum_W[2] += delta2 @ a1.T  # BP4: a^{l-1}_k delta^l_j
        sum_W[1] += delta1 @ x.T
        sum_b[2] += delta2  # BP3
        sum_b[1] += delta1
    n = len(X)
    for l in (1, 2):
        np.testing.assert_allclose(grad_W[l], sum_W[l] / n, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(grad_b[l], sum_b[l].ravel() / n, rtol=1e-12, atol=1e-15)


def test_bp_functions_shapes():
    rng = np.random.default_rng(0)
    n, n_l, n_next = 5, 3, 2
    delta_next = rng.normal(size=(n, n_next))
    W_next = rng.normal(size=(n_next, n_l))
    z = rng.normal(size=(n, n_l))
    delta = bplib.backpropagate_error(delta_next, W_next, z, bplib.sigmoid)
    assert delta.shape == (n, n_l)
    assert bplib.bias_gradient(delta).shape == (n_l,)
    assert bplib.weight_gradient(delta, rng.normal(size=(n, 4))).shape == (n_l, 4)
    # BP2 is the row-wise version of (W^T delta) * sigma'(z)
    np.testing.assert_allclose(delta, ((W_next.T @ delta_next.T) * bplib.sigmoid.prime(z.T)).T)


def test_cross_entropy_output_error_stays_exact_when_saturated():
    # z = 40: sigma(z) rounds to 1 and sigma'(z) underflows; delta = a - y must still be -1 + 1 = 0
    # for y = 1, and +1 for y = 0 (the neuron is confidently wrong and must learn fast).
    z = np.array([[40.0, 40.0]])
    a = bplib.sigmoid.fn(z)
    y = np.array([[1.0, 0.0]])
    delta = bplib.output_error(a, y, z, bplib.cross_entropy, bplib.sigmoid)
    np.testing.assert_allclose(delta, [[0.0, 1.0]], atol=1e-12)
    # the quadratic cost's delta vanishes there: the slow-learning problem
    delta_q = bplib.output_error(a, y, z, bplib.quadratic, bplib.sigmoid)
    assert abs(delta_q[0, 1]) < 1e-15


def test_factor_two_of_the_seed_cost():
    net = bplib.Network([2, 3, 1], cost="quadratic", seed=0)
    net2 = bplib.Network([2, 3, 1], cost=bplib.Quadratic(half=False), seed=0)
    X, Y = data(net.sizes, 4, seed=1)
    assert net2.cost(X, Y) == pytest.approx(2 * net.cost(X, Y))
    gW, gb = net.gradients(X, Y)
    gW2, gb2 = net2.gradients(X, Y)
    for a, b in zip(gW[1:] + gb[1:], gW2[1:] + gb2[1:]):
        np.testing.assert_allclose(b, 2 * a, rtol=1e-12)


def test_gradients_do_not_accumulate_between_calls():
    net = bplib.Network([2, 3, 2], seed=0)
    X, Y = data(net.sizes, 6, seed=1)
    first = net.gradients(X, Y)
    second = net.gradients(X, Y)
    for a, b in zip(first[0][1:] + first[1][1:], second[0][1:] + second[1][1:]):
        np.testing.assert_array_equal(a, b)


def test_numerical_gradients_leave_the_network_unchanged():
    net = bplib.Network([2, 3, 1], seed=0)
    before = [w.copy() for w in net.W[1:]] + [b.copy() for b in net.b[1:]]
    X, Y = data(net.sizes, 3, seed=1)
    bplib.numerical_gradients(net, X, Y)
    for a, b in zip(before, net.W[1:] + net.b[1:]):
        np.testing.assert_array_equal(a, b)


def test_gradient_check_names_a_broken_layer():
    net = bplib.Network([2, 3, 3, 1], seed=0)
    X, Y = data(net.sizes, 4, seed=1)

    def forgets_sigma_prime_in_layer_1(net, X, Y):
        """Backprop that leaves out the sigma'(z^1) of BP2 in layer 1 only."""
        z, a = net.feedforward_layers(X)
        delta = bplib.backpropagate(
            bplib.output_error(a[3], Y, z[3], net.cost_function, net.sigmas[3]),
            net.W,
            z,
            net.sigmas,
        )
        delta[1] = delta[2] @ net.W[2]  # the bug: no * sigma'(z^1)
        return (
            [None] + [bplib.weight_gradient(delta[l], a[l - 1]) for l in (1, 2, 3)],
            [None] + [bplib.bias_gradient(delta[l]) for l in (1, 2, 3)],
        )

    report = bplib.gradient_check(net, X, Y, gradients=forgets_sigma_prime_in_layer_1)
    assert not report.ok
    assert report.bad_layers() == [1]
    assert "layer 1" in repr(report) and "WRONG" in repr(report)


def test_float32_works():
    net64 = bplib.Network([4, 5, 3], seed=0)
    net32 = bplib.Network([4, 5, 3], seed=0, dtype=np.float32)
    X, Y = data(net64.sizes, 8, seed=1)
    assert net32.feedforward(X).dtype == np.float32
    gW32, gb32 = net32.gradients(X, Y)
    gW64, gb64 = net64.gradients(X, Y)
    for a, b in zip(gW32[1:] + gb32[1:], gW64[1:] + gb64[1:]):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    history = net32.fit(X, Y, epochs=5, batch_size=4, eta=1.0)
    assert net32.W[1].dtype == np.float32
    assert history.cost[-1] < history.cost[0]


def test_cross_entropy_is_finite_when_float32_outputs_saturate():
    net = bplib.Network(
        [2, 1], output_activation="sigmoid", cost="cross_entropy", dtype=np.float32, seed=0
    )
    net.W[1] = np.array([[40.0, 40.0]])
    X = np.ones((2, 2))
    Y = np.array([[0.0], [1.0]])  # the first example is confidently wrong: a = 1, y = 0
    assert net.feedforward(X).dtype == np.float32 and net.feedforward(X)[0, 0] == 1.0
    C = net.cost(X, Y)
    assert np.isfinite(C) and C > 5  # large (-ln of float32 epsilon, halved), but not infinite
    grad_W, grad_b = net.gradients(X, Y)
    assert np.isfinite(grad_b[1]).all()


def test_each_cost_owns_its_output_error():
    rng = np.random.default_rng(5)
    z = rng.normal(size=(4, 3))
    y = rng.uniform(size=(4, 3))
    for sigma in (bplib.sigmoid, bplib.tanh):
        a = sigma.fn(z)
        np.testing.assert_allclose(bplib.quadratic.delta(a, y, z, sigma), (a - y) * sigma.prime(z))
        np.testing.assert_allclose(
            bplib.Quadratic(half=False).delta(a, y, z, sigma), 2 * (a - y) * sigma.prime(z)
        )
    a = bplib.sigmoid.fn(z)
    # cross-entropy: grad_a * sigma' = (a - y) / (a (1 - a)) * a (1 - a) = a - y
    np.testing.assert_allclose(bplib.cross_entropy.delta(a, y, z, bplib.sigmoid), a - y)
    np.testing.assert_allclose(
        bplib.cross_entropy.delta(a, y, z, bplib.identity), bplib.cross_entropy.grad_a(a, y)
    )


def test_per_example_weight_gradients_average_to_bp4():
    rng = np.random.default_rng(6)
    delta, a_prev = rng.normal(size=(5, 3)), rng.normal(size=(5, 4))
    per_example = bplib.weight_gradient_per_example(delta, a_prev)
    assert per_example.shape == (5, 3, 4)
    np.testing.assert_allclose(per_example[2], np.outer(delta[2], a_prev[2]))
    np.testing.assert_allclose(per_example.mean(axis=0), bplib.weight_gradient(delta, a_prev))


def test_lists_are_indexed_by_layer():
    net = bplib.Network([3, 4, 2], seed=0)
    assert net.W[0] is None and net.b[0] is None and net.sigmas[0] is None
    assert net.W[1].shape == (4, 3) and net.W[2].shape == (2, 4) and net.b[2].shape == (2,)
    z, a = net.feedforward_layers(np.ones((5, 3)))
    assert z[0] is None and a[0].shape == (5, 3) and z[2].shape == a[2].shape == (5, 2)
    with pytest.raises(IndexError, match="input layer"):
        net.W[0] = np.zeros((4, 3))
    with pytest.raises(bplib.ShapeError, match=r"\[None, W1, ..., W2\]"):
        net.W = [np.zeros((4, 3)), np.zeros((2, 4))]


def test_gradient_check_fails_on_nan_and_names_the_layer():
    net = bplib.Network([2, 3, 2], seed=0)
    X, Y = data(net.sizes, 3, seed=1)

    def nan_biases(net, X, Y):
        grad_W, grad_b = net.gradients(X, Y)
        grad_b[1] = grad_b[1] * np.nan
        return grad_W, grad_b

    report = bplib.gradient_check(net, X, Y, gradients=nan_biases)
    assert not report.ok and report.bad_layers() == [1]
    assert "biases inf  WRONG" in repr(report)


def test_gradient_check_explains_lists_not_indexed_by_layer():
    net = bplib.Network([2, 3, 2], seed=0)
    X, Y = data(net.sizes, 3, seed=1)

    def old_style(net, X, Y):  # the lists without the None of the input layer
        grad_W, grad_b = net.gradients(X, Y)
        return grad_W[1:], grad_b[1:]

    with pytest.raises(bplib.ShapeError, match=r"grad_W must be indexed by layer: \[None"):
        bplib.gradient_check(net, X, Y, gradients=old_style)

    def column_biases(net, X, Y):
        grad_W, grad_b = net.gradients(X, Y)
        grad_b[2] = grad_b[2].reshape(-1, 1)
        return grad_W, grad_b

    with pytest.raises(bplib.ShapeError, match=r"grad_b\[2\] must have the shape .* \(2,\)"):
        bplib.gradient_check(net, X, Y, gradients=column_biases)


def test_fortran_ordered_weights_are_checked_correctly():
    net = bplib.Network([3, 4, 2], seed=0)
    net.W[1] = np.asfortranarray(net.W[1])  # stored C-ordered, so the check perturbs in place
    X, Y = data(net.sizes, 3, seed=1)
    assert bplib.gradient_check(net, X, Y).ok


def test_feedforward_function_is_the_networks_output():
    net = bplib.Network([3, 4, 2], seed=0)
    X, _ = data(net.sizes, 5, seed=1)
    np.testing.assert_array_equal(
        bplib.feedforward(net.W, net.b, net.sigmas, X), net.feedforward(X)
    )
    np.testing.assert_array_equal(net.feedforward_layers(X)[1][2], net.feedforward(X))

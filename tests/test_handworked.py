"""A 2-2-2 sigmoid network and two examples, worked by hand: forward pass, BP1-BP4, one SGD step.

Every weighted input is non-zero and no two are equal, in both layers, so
sigma'(z) differs from unit to unit and from layer to layer: using sigma' of the
wrong layer, dropping a transpose (the weight matrices are square and not
symmetric), forgetting the 1/n of the mean over the n = 2 examples, or adding
the gradient instead of subtracting it each changes a number below.

The numbers in the comments were worked with a calculator to 4 digits; the
asserted values carry 12 decimal places. sigma(z) = 1 / (1 + e^{-z}),
sigma'(z) = sigma(z) (1 - sigma(z)), C = mean over examples i of
C_i = 1/2 ||a_i - y_i||^2. Lists are indexed by layer: W[1] is W^1, W[2] is W^2.
"""

import numpy as np
from numpy.testing import assert_allclose, assert_array_equal

import bplib

RTOL = 1e-9  # the literals below are rounded to 12 decimal places
X = np.array(
    [
        [1.0, 2.0],  # example 1
        [-1.0, 0.5],
    ]
)  # example 2
Y = np.array([[1.0, 0.0], [0.0, 1.0]])
W1 = np.array([[0.5, -0.25], [0.25, 0.5]])
b1 = np.array([0.25, -0.5])
W2 = np.array([[1.0, -0.5], [-0.75, 0.5]])
b2 = np.array([0.5, -0.25])


def make_net():
    net = bplib.Network([2, 2, 2], activation="sigmoid", cost="quadratic", seed=0)
    net.W = [None, W1, W2]
    net.b = [None, b1, b2]
    return net


def test_forward_by_hand():
    z, a = make_net().feedforward_layers(X)
    # z^1 = x (W^1)^T + b^1, one row per example:
    #   example 1: [1*0.5 + 2*(-0.25) + 0.25,  1*0.25 + 2*0.5 - 0.5] = [0.25, 0.75]
    #   example 2: [-1*0.5 + 0.5*(-0.25) + 0.25, -1*0.25 + 0.5*0.5 - 0.5] = [-0.375, -0.5]
    assert_array_equal(z[1], [[0.25, 0.75], [-0.375, -0.5]])  # exact binary fractions
    # a^1 = sigma(z^1): sigma(0.25) = 0.5622, sigma(0.75) = 0.6792, sigma(-0.375) = 0.4073,
    # sigma(-0.5) = 0.3775
    assert_allclose(
        a[1], [[0.562176500886, 0.679178699175], [0.407333400046, 0.377540668798]], rtol=RTOL
    )
    # z^2 = a^1 (W^2)^T + b^2:
    #   example 1: [0.5622 - 0.5*0.6792 + 0.5, -0.75*0.5622 + 0.5*0.6792 - 0.25] = [0.7226, -0.3320]
    #   example 2: [0.4073 - 0.5*0.3775 + 0.5, -0.75*0.4073 + 0.5*0.3775 - 0.25] = [0.7186, -0.3667]
    assert_allclose(
        z[2], [[0.722587151298, -0.332043026077], [0.718563065647, -0.366729715635]], rtol=RTOL
    )
    # a^2 = sigma(z^2) = [[0.6732, 0.4177], [0.6723, 0.4093]]
    assert_allclose(
        a[2], [[0.673176470809, 0.417743606635], [0.672290515881, 0.409331473282]], rtol=RTOL
    )
    assert_array_equal(make_net().feedforward(X), a[2])
    # C_1 = 1/2 ((0.6732 - 1)^2 + (0.4177 - 0)^2) = 0.1407
    # C_2 = 1/2 ((0.6723 - 0)^2 + (0.4093 - 1)^2) = 0.4004;  C = (C_1 + C_2) / 2 = 0.2705
    assert_allclose(make_net().cost(X, Y), 0.270546796579, rtol=RTOL)


def test_backprop_by_hand():
    grad_W, grad_b = make_net().gradients(X, Y)
    assert grad_W[0] is None and grad_b[0] is None  # the input layer has no parameters
    # sigma'(z^2) = a^2 (1 - a^2) = [[0.2200, 0.2432], [0.2203, 0.2418]]
    # BP1: delta^2 = (a^2 - y) * sigma'(z^2)
    #   example 1: [(0.6732 - 1)*0.2200, (0.4177 - 0)*0.2432] = [-0.07190, 0.10161]
    #   example 2: [(0.6723 - 0)*0.2203, (0.4093 - 1)*0.2418] = [0.14812, -0.14281]
    # BP3: dC/db^2 = mean of delta^2 over the rows = [(-0.07190 + 0.14812)/2, (0.10161 - 0.14281)/2]
    assert_allclose(grad_b[2], [0.038105963685, -0.020600986977], rtol=RTOL)
    # BP4: dC/dW^2 = (delta^2)^T a^1 / 2; entry [0, 0] = (-0.07190*0.5622 + 0.14812*0.4073) / 2
    assert_allclose(
        grad_W[2], [[0.009954880441, 0.003541997922], [-0.000524712731, 0.007546919345]], rtol=RTOL
    )
    # BP2: delta^1 = (delta^2 W^2) * sigma'(z^1), with sigma'(z^1) of layer 1, not layer 2:
    #   delta^2 W^2, example 1: [-0.07190*1 + 0.10161*(-0.75), -0.07190*(-0.5) + 0.10161*0.5]
    #                         = [-0.14811, 0.08676]
    #   example 2: [0.14812 + 0.75*0.14281, -0.5*0.14812 - 0.5*0.14281] = [0.25522, -0.14546]
    #   sigma'(z^1) = [[0.2461, 0.2179], [0.2414, 0.2350]]
    #   delta^1 = [[-0.03646, 0.01890], [0.06161, -0.03418]]
    # BP3: dC/db^1 = [(-0.03646 + 0.06161)/2, (0.01890 - 0.03418)/2]
    assert_allclose(grad_b[1], [0.012579648719, -0.007640325424], rtol=RTOL)
    # BP4: dC/dW^1 = (delta^1)^T x / 2; entry [0, 1] = (-0.03646*2 + 0.06161*0.5) / 2
    assert_allclose(
        grad_W[1], [[-0.049034928484, -0.021051635464], [0.026544221343, 0.010357759227]], rtol=RTOL
    )


def test_one_sgd_step_by_hand():
    net = make_net()
    grad_W, grad_b = net.gradients(X, Y)
    # one mini-batch of both examples in the given order, eta = 1
    history = net.fit(X, Y, epochs=1, batch_size=2, eta=1.0, seed=0)
    # theta <- theta - eta * grad: subtract, since the gradient points uphill
    assert_allclose(
        net.W[2],
        W2 - [[0.009954880441, 0.003541997922], [-0.000524712731, 0.007546919345]],
        rtol=RTOL,
    )
    assert_allclose(net.b[2], b2 - np.array([0.038105963685, -0.020600986977]), rtol=RTOL)
    assert_allclose(
        net.W[1],
        W1 - [[-0.049034928484, -0.021051635464], [0.026544221343, 0.010357759227]],
        rtol=RTOL,
    )
    assert_allclose(net.b[1], b1 - np.array([0.012579648719, -0.007640325424]), rtol=RTOL)
    assert_allclose(history.cost[0], 0.270546796579, rtol=RTOL)
    assert history.cost[1] < history.cost[0]  # one step downhill lowers the cost
    # descend leaves the gradients it was given unchanged
    before = [g.copy() for g in grad_W[1:] + grad_b[1:]]
    bplib.descend(net.W, net.b, grad_W, grad_b, 0.5)
    for g, g0 in zip(grad_W[1:] + grad_b[1:], before):
        assert_array_equal(g, g0)

"""A 2-2-1 sigmoid network worked by hand: forward pass, backprop, one SGD step.

The numbers are chosen so every z is 0, hence sigma(z) = 1/2 and
sigma'(z) = 1/4 exactly, and every result is an exact binary fraction.
"""
import numpy as np

import bplib

x = np.array([[1.0, -1.0]])  # one example, as a row
y = np.array([[1.0]])
W1 = np.array([[0.5, 0.5],
               [1.0, 1.0]])
b1 = np.array([0.0, 0.0])
W2 = np.array([[1.0, -1.0]])
b2 = np.array([0.0])


def make_net():
    net = bplib.Network([2, 2, 1], activation="sigmoid", cost="quadratic", seed=0)
    net.weights = [W1, W2]
    net.biases = [b1, b2]
    return net


def test_forward_by_hand():
    net = make_net()
    zs, activations = net.feedforward(x)
    # z1 = x W1^T + b1 = [1*0.5 + (-1)*0.5, 1*1 + (-1)*1] = [0, 0]
    np.testing.assert_array_equal(zs[1], [[0.0, 0.0]])
    # a1 = sigma(0) = 1/2 for both hidden units
    np.testing.assert_array_equal(activations[1], [[0.5, 0.5]])
    # z2 = a1 W2^T + b2 = 0.5*1 + 0.5*(-1) = 0;  a2 = sigma(0) = 0.5
    np.testing.assert_array_equal(zs[2], [[0.0]])
    np.testing.assert_array_equal(net.forward(x), [[0.5]])
    # C = 1/2 (a2 - y)^2 = 1/2 (0.5 - 1)^2 = 0.125
    assert net.cost(x, y) == 0.125


def test_backprop_by_hand():
    net = make_net()
    grad_W, grad_b = net.gradients(x, y)
    # BP1: delta2 = (a2 - y) * sigma'(z2) = (0.5 - 1) * 0.25 = -0.125
    # BP3: dC/db2 = delta2 = -0.125
    np.testing.assert_array_equal(grad_b[1], [-0.125])
    # BP4: dC/dW2 = delta2^T a1 = -0.125 * [0.5, 0.5] = [-0.0625, -0.0625]
    np.testing.assert_array_equal(grad_W[1], [[-0.0625, -0.0625]])
    # BP2: delta1 = (delta2 W2) * sigma'(z1) = [-0.125*1, -0.125*(-1)] * 0.25 = [-0.03125, 0.03125]
    np.testing.assert_array_equal(grad_b[0], [-0.03125, 0.03125])
    # BP4: dC/dW1 = delta1^T x = [[-0.03125*1, -0.03125*(-1)], [0.03125*1, 0.03125*(-1)]]
    np.testing.assert_array_equal(grad_W[0], [[-0.03125, 0.03125], [0.03125, -0.03125]])


def test_one_sgd_step_by_hand():
    net = make_net()
    history = net.fit(x, y, epochs=1, batch_size=1, eta=1.0, seed=0)
    # theta <- theta - eta * grad  (subtract: the seed's "add" would climb the cost)
    np.testing.assert_array_equal(net.weights[1], [[1.0625, -0.9375]])   # W2 - (-0.0625)
    np.testing.assert_array_equal(net.biases[1], [0.125])                 # b2 - (-0.125)
    np.testing.assert_array_equal(net.weights[0], [[0.53125, 0.46875],    # W1 - grad_W1
                                                   [0.96875, 1.03125]])
    np.testing.assert_array_equal(net.biases[0], [0.03125, -0.03125])
    assert history.cost[0] == 0.125
    assert history.cost[1] < 0.125  # one step downhill lowers the cost

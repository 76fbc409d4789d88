"""bplib: backpropagation in small, readable numpy, batch-first (rows are examples)."""

from .activations import Activation, get_activation, identity, relu, sigmoid, softmax, tanh
from .backward import (
    backprop,
    backpropagate,
    backpropagate_error,
    bias_gradient,
    output_error,
    weight_gradient,
    weight_gradient_per_example,
)
from .costs import (
    CategoricalCrossEntropy,
    CrossEntropy,
    Quadratic,
    categorical_cross_entropy,
    cross_entropy,
    get_cost,
    quadratic,
)
from .datasets import circles, load_digits, moons, one_hot, spirals, xor
from .errors import DivergenceError, ShapeError
from .forward import feedforward, feedforward_layers, weighted_input
from .gradcheck import GradientCheck, gradient_check, numerical_gradients, relative_error
from .network import Network
from .training import History, descend, sgd

__version__ = "0.1.0"

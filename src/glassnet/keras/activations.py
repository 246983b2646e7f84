"""``keras.activations``: glassnet's activation functions (``glassnet.functional``).

They work as ``Dense(..., activation=keras.activations.relu)`` too (the layer resolves
them to its named activation, as ``activation="relu"``).

Example:
    >>> import glassnet as gn
    >>> from glassnet import keras
    >>> keras.activations.relu(gn.tensor([-1.0, 2.0]))
    tensor([0., 2.])
"""

from glassnet.functional import elu, relu, sigmoid, silu, softmax, softplus, tanh

swish = silu

__all__ = ["elu", "relu", "sigmoid", "silu", "softmax", "softplus", "swish", "tanh"]

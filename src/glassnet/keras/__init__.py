"""Keras's names for glassnet's classes: ``from glassnet import keras`` runs Keras tutorials.

Change only the import: ``import tensorflow as tf`` becomes ``import glassnet as tf``
(``tf.keras.Sequential``, ``tf.keras.layers.Dense``, ``tf.keras.optimizers.Adam``),
``import keras`` becomes ``from glassnet import keras``, and ``from tensorflow.keras.layers
import Dense`` becomes ``from glassnet.keras.layers import Dense``. Nothing here has logic
of its own: ``keras.Sequential`` is ``gn.Sequential``, ``keras.layers.Dense`` is
``gn.nn.Dense``, the callbacks and metrics are glassnet's, and the optimizers are glassnet's
with Keras's default settings.

Submodules: ``models``, ``layers``, ``optimizers``, ``losses``, ``metrics``, ``callbacks``,
``activations``, ``regularizers``, ``utils`` and ``datasets`` (which needs the network, so
it only says where glassnet's offline data is).

Example:
    >>> import numpy as np
    >>> import glassnet as tf
    >>> model = tf.keras.Sequential([
    ...     tf.keras.layers.Dense(8, activation="relu", input_shape=(4,)),
    ...     tf.keras.layers.Dense(1, activation="sigmoid"),
    ... ])
    >>> model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.01),
    ...               loss="binary_crossentropy")
    >>> model.predict(np.zeros((2, 4)), verbose=0).shape
    (2, 1)
"""

from glassnet.keras import (
    activations,
    callbacks,
    datasets,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    regularizers,
    utils,
)
from glassnet.keras.layers import Input
from glassnet.keras.models import Sequential

__all__ = ["Input", "Sequential", "activations", "callbacks", "datasets", "layers", "losses",
           "metrics", "models", "optimizers", "regularizers", "utils"]

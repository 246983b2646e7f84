"""Seeing inside: plots of activations, training, decisions, weights and gradients.

The plots need matplotlib (``pip install 'glassnet[plot]'``), imported only when a plot is
made. Each function returns a ``matplotlib.figure.Figure`` (built without ``pyplot``: no
window, no global state) and writes a PNG when given ``path=``.

- ``plot_activations``: each activation function next to its derivative (by autograd).
- ``plot_history``: loss and metrics per epoch, training and validation.
- ``plot_decision_boundary``: the class regions of any classifier on 2-D data.
- ``plot_confusion_matrix``: true class against predicted class, with counts.
- ``plot_digits``: an image grid with predicted and true labels, mistakes in red.
- ``plot_network``: units and weighted connections of a small network.
- ``plot_gradient_flow`` with ``gradient_norms``: gradient size per layer while training
  (vanishing gradients).
- ``plot_weights``: histograms of each layer's weights and biases.
- ``explain``: one input through the network, number by number, forward and backward.

Example:
    >>> import numpy as np
    >>> from glassnet import viz
    >>> fig = viz.plot_confusion_matrix(np.array([[5, 1], [0, 4]]))
    >>> fig.axes[0].get_xlabel()
    'Predicted'
"""

from glassnet.viz.explain import EXAMPLES, Explanation, explain, explain_example, explain_row
from glassnet.viz.network import gradient_norms, plot_gradient_flow, plot_network, plot_weights
from glassnet.viz.plots import (
    plot_activations,
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_digits,
    plot_history,
)

__all__ = [
    "EXAMPLES",
    "Explanation",
    "explain",
    "explain_example",
    "explain_row",
    "gradient_norms",
    "plot_activations",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_digits",
    "plot_gradient_flow",
    "plot_history",
    "plot_network",
    "plot_weights",
]

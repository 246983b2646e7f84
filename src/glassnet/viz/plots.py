"""Plots of what a network computes and how it learns (matplotlib, optional).

Every function builds a ``matplotlib.figure.Figure`` directly (no ``pyplot``: no global
state, no window, safe in threads and on servers), returns it, and saves it as a PNG when
given ``path=`` (written atomically: an existing file is replaced whole or not at all).
matplotlib is only imported when a plot is made: ``pip install 'glassnet[plot]'``.

This module holds the plots of inputs and outputs: activation functions, training curves,
decision boundaries, confusion matrices and digit images. ``glassnet.viz.network`` holds
the plots of the network's insides (weights, gradients).

A "model" here is anything that maps inputs to scores: a glassnet ``nn.Module`` (called
in evaluation mode without a graph), an object with ``predict_proba(X)`` or ``predict(X)``
(the scikit-learn and Keras front doors), or a plain function ``X -> scores``.

Example:
    >>> import numpy as np
    >>> from glassnet.viz import plot_history
    >>> fig = plot_history({"loss": [0.9, 0.5, 0.3], "val_loss": [1.0, 0.7, 0.6]})
    >>> [ax.get_title() for ax in fig.axes]
    ['loss']
"""

from __future__ import annotations

import math
import os

import numpy as np

from glassnet import functional as F
from glassnet.io.atomic import atomic_write
from glassnet.nn.module import Module
from glassnet.tensor import Tensor, enable_grad, no_grad

__all__ = [
    "plot_activations",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_digits",
    "plot_history",
]

INSTALL_HINT = "plotting needs matplotlib: pip install 'glassnet[plot]'"
BLUE, RED = "#2166ac", "#b2182b"  # the ends of the "RdBu_r" colour map: negative/positive


# ----------------------------------------------------------------------------- shared helpers


def _matplotlib():
    """Import matplotlib (and the submodules the plots use) or say how to install it."""
    try:
        import matplotlib
        import matplotlib.collections
        import matplotlib.colors
        import matplotlib.figure
        import matplotlib.lines
        import matplotlib.patches  # noqa: F401 - makes matplotlib.patches available
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error
    return matplotlib


def _figure(width: float, height: float):
    """A new Figure with constrained layout (labels never overlap the neighbouring panel)."""
    return _matplotlib().figure.Figure(figsize=(width, height), layout="constrained")


def _check_dpi(dpi, where: str) -> None:
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not dpi > 0:
        raise ValueError(f"{where}: dpi must be a positive number, received {dpi!r}")


def is_integer(value) -> bool:
    """True for Python and NumPy integers (not for bools).

    Example:
        >>> import numpy as np
        >>> is_integer(3), is_integer(np.int64(3)), is_integer(True), is_integer(3.0)
        (True, True, False, False)
    """
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check_target(path, where: str) -> str | None:
    """Fail before drawing when ``path`` cannot be written: missing directory, bad type."""
    if path is None:
        return None
    target = os.fspath(path)
    directory = os.path.dirname(target) or os.curdir
    if not os.path.isdir(directory):
        raise FileNotFoundError(f"{where}: cannot save the plot to {target!r}: the directory "
                                f"{directory!r} does not exist (create it first, e.g. with "
                                f"os.makedirs)")
    return target


def _finish(fig, path, dpi, where: str):
    """Save ``fig`` to ``path`` (PNG unless the suffix names another format); return it."""
    if path is None:
        return fig
    target = _check_target(path, where)
    file_format = os.path.splitext(target)[1].lower().lstrip(".") or "png"
    supported = fig.canvas.get_supported_filetypes()
    if file_format not in supported:
        raise ValueError(f"{where}: cannot save {target!r}: unknown image format "
                         f"{file_format!r}; use one of {sorted(supported)} (e.g. '.png')")
    with atomic_write(target) as file:
        fig.savefig(file, format=file_format, dpi=dpi)
    return fig


def _grid(count: int, max_columns: int) -> tuple:
    """(rows, columns) for ``count`` panels, at most ``max_columns`` per row."""
    columns = max(1, min(count, max_columns))
    return math.ceil(count / columns), columns


def _subplots(fig, count: int, max_columns: int) -> list:
    """``count`` axes in a grid; unused cells of the last row are left out."""
    rows, columns = _grid(count, max_columns)
    return [fig.add_subplot(rows, columns, i + 1) for i in range(count)]


def model_outputs(model, X: np.ndarray) -> np.ndarray:
    """The scores a model gives to the rows of ``X``, as a NumPy array.

    Args:
        model: a glassnet ``nn.Module`` (run in evaluation mode under ``no_grad``, then
            put back in its previous mode), an object with ``predict_proba(X)`` or
            ``predict(X)`` (tried in that order), or a function ``X -> scores``.
        X: inputs, shape (N, features).

    Returns:
        The model's output: probabilities, logits or labels, shape (N,) or (N, outputs).

    Example:
        >>> import numpy as np
        >>> model_outputs(lambda X: X.sum(axis=1), np.ones((2, 3)))
        array([3., 3.])
    """
    if isinstance(model, Module):
        return _module_outputs(model, X)
    if hasattr(model, "predict_proba"):
        output = model.predict_proba(X)
    elif hasattr(model, "predict"):
        output = model.predict(X)
    elif callable(model):
        output = model(X)
    else:
        raise TypeError(f"expected a model: an nn.Module, an object with predict_proba(X) "
                        f"or predict(X), or a function X -> scores; received "
                        f"{type(model).__name__}")
    return np.asarray(output.data if isinstance(output, Tensor) else output)


def _module_outputs(module: Module, X: np.ndarray) -> np.ndarray:
    first = next(module.parameters(), None)
    dtype = first.dtype if first is not None else np.float32
    modes = [(m, m.training) for m in module.modules()]
    module.eval()
    try:
        with no_grad():
            output = module(Tensor._from_op(np.asarray(X, dtype=dtype), None))
    finally:
        for m, training in modes:
            m.training = training
    return np.asarray(output.data if isinstance(output, Tensor) else output)


# ----------------------------------------------------------------------------- activations

# name: (function formula, derivative formula)
ACTIVATION_FORMULAS = {
    "sigmoid": ("σ(x) = 1 / (1 + e^-x)", "σ'(x) = σ(x)·(1 - σ(x))"),
    "tanh": ("tanh(x) = (e^x - e^-x) / (e^x + e^-x)", "tanh'(x) = 1 - tanh(x)²"),
    "relu": ("relu(x) = max(0, x)", "relu'(x) = 1 if x > 0 else 0"),
    "leaky_relu": ("leaky_relu(x) = x if x > 0 else 0.01·x",
                   "leaky_relu'(x) = 1 if x > 0 else 0.01"),
    "elu": ("elu(x) = x if x > 0 else e^x - 1", "elu'(x) = 1 if x > 0 else e^x"),
    "gelu": ("gelu(x) = x·Φ(x)   (Φ: normal CDF)", "gelu'(x) = Φ(x) + x·φ(x)"),
    "softplus": ("softplus(x) = ln(1 + e^x)", "softplus'(x) = σ(x)"),
    "silu": ("silu(x) = x·σ(x)", "silu'(x) = σ(x)·(1 + x·(1 - σ(x)))"),
}


def activation_and_derivative(name: str, x: np.ndarray) -> tuple:
    """``f(x)`` and ``f'(x)`` for a named activation, the derivative found by autograd.

    ``y = f(x)`` is built as a graph; ``y.sum().backward()`` puts ``d(sum y)/dx_i =
    f'(x_i)`` into ``x.grad`` (each ``y_i`` depends on ``x_i`` only).

    Example:
        >>> import numpy as np
        >>> y, dy = activation_and_derivative("sigmoid", np.array([0.0]))
        >>> float(y[0]), float(dy[0])
        (0.5, 0.25)
    """
    if name not in ACTIVATION_FORMULAS:
        raise ValueError(f"unknown activation {name!r}; expected one of "
                         f"{sorted(ACTIVATION_FORMULAS)}")
    x_tensor = Tensor(np.asarray(x, dtype=np.float64), dtype=np.float64, requires_grad=True)
    with enable_grad():  # also inside a caller's no_grad() block
        y = getattr(F, name)(x_tensor)
        y.sum().backward()
    return y.data, x_tensor.grad


def plot_activations(names=tuple(ACTIVATION_FORMULAS), x_range=(-5.0, 5.0), path=None, *,
                     dpi: int = 100):
    """Each activation function next to its derivative, on a grid of panels.

    The derivative is not typed in by hand: it is computed by glassnet's autograd, exactly
    as in training (``y = F.<name>(x); y.sum().backward(); x.grad``), so the right-hand
    panels show autograd at work. Look for where the derivative is near 0: there a unit
    learns slowly (sigmoid and tanh saturate for large |x|; relu is flat for x < 0).

    Args:
        names: activation names from ``ACTIVATION_FORMULAS`` (sigmoid, tanh, relu,
            leaky_relu, elu, gelu, softplus, silu). Defaults to all of them.
        x_range: (low, high) of the x axis. Defaults to (-5, 5).
        path: where to save the figure (PNG), or None.
        dpi: resolution of the saved image, dots per inch.

    Returns:
        The ``matplotlib.figure.Figure``: two axes per activation (f, then f').

    Example:
        >>> fig = plot_activations(["relu", "sigmoid"])
        >>> len(fig.axes), fig.axes[0].get_title()
        (4, 'relu(x) = max(0, x)')
    """
    where = "plot_activations"
    names = [names] if isinstance(names, str) else list(names)
    unknown = [name for name in names if name not in ACTIVATION_FORMULAS]
    if not names or unknown:
        raise ValueError(f"{where}: expected activation names from "
                         f"{sorted(ACTIVATION_FORMULAS)}, received {names!r}")
    low, high = _check_range(x_range, where)
    _check_dpi(dpi, where)
    _check_target(path, where)
    x = np.linspace(low, high, 401)
    rows, pairs = _grid(len(names), 2)
    fig = _figure(5.6 * pairs, 2.4 * rows + 0.6)
    for i, name in enumerate(names):
        y, dy = activation_and_derivative(name, x)
        for j, (values, color, label) in enumerate(((y, "C0", "f(x)"), (dy, "C1", "f'(x)"))):
            ax = fig.add_subplot(rows, 2 * pairs, 2 * i + j + 1)
            ax.axhline(0.0, color="0.6", linewidth=0.8)
            ax.axvline(0.0, color="0.6", linewidth=0.8)
            ax.plot(x, values, color=color, linewidth=2)
            ax.set_title(ACTIVATION_FORMULAS[name][j], fontsize=9)
            ax.set_xlabel("x", fontsize=8, labelpad=1)
            ax.set_ylabel(label, fontsize=8, labelpad=1)
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
    handles = [_line("C0", "activation f(x)"), _line("C1", "derivative f'(x), by autograd")]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=9, frameon=False)
    fig.suptitle("Activation functions and their derivatives", fontsize=12)
    return _finish(fig, path, dpi, where)


def _check_range(x_range, where: str) -> tuple:
    try:
        low, high = (float(v) for v in x_range)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: x_range must be (low, high), received {x_range!r}") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"{where}: x_range must be finite with low < high, received "
                         f"{x_range!r}")
    return low, high


def _line(color, label, **style):
    """A legend entry for a line."""
    style = {"linewidth": 2, **style}
    return _matplotlib().lines.Line2D([], [], color=color, label=label, **style)


# ----------------------------------------------------------------------------- history


def plot_history(history, metrics=None, path=None, *, dpi: int = 100):
    """Training curves: one panel per metric, the training and the validation curve.

    A validation curve that turns up while the training curve keeps falling is the picture
    of overfitting (``EarlyStopping`` stops there).

    Args:
        history: a dict ``{name: [value per epoch]}`` (Keras's ``History.history``), or an
            object with such a ``.history`` (the ``History`` that ``fit`` returns).
        metrics: the names to plot, e.g. ``["loss", "accuracy"]``. Defaults to every name
            without the ``val_`` prefix; ``val_<name>`` is drawn in the same panel.
        path: where to save the figure (PNG), or None.
        dpi: resolution of the saved image.

    Returns:
        The Figure, one axes per metric, x = epoch (from 1).

    Example:
        >>> history = {"loss": [0.7, 0.4], "accuracy": [0.6, 0.9],
        ...            "val_loss": [0.8, 0.5], "val_accuracy": [0.5, 0.8]}
        >>> fig = plot_history(history)
        >>> [ax.get_title() for ax in fig.axes]
        ['loss', 'accuracy']
    """
    where = "plot_history"
    logs = getattr(history, "history", history)
    if not isinstance(logs, dict) or not logs:
        raise ValueError(f"{where}: expected a non-empty dict {{name: [value per epoch]}} or "
                         f"a History with .history, received {type(history).__name__}")
    names = [n for n in logs if not str(n).startswith("val_")] if metrics is None else (
        [metrics] if isinstance(metrics, str) else list(metrics))
    names = names or [str(n)[4:] for n in logs]  # only val_ curves were logged
    missing = [n for n in names if n not in logs and f"val_{n}" not in logs]
    if missing:
        raise ValueError(f"{where}: no values for {missing} in the history; it has "
                         f"{sorted(logs)}")
    _check_dpi(dpi, where)
    _check_target(path, where)
    rows, columns = _grid(len(names), 3)
    fig = _figure(4.2 * columns, 3.2 * rows)
    for ax, name in zip(_subplots(fig, len(names), 3), names):
        for key, label, color in ((name, "train", "C0"), (f"val_{name}", "validation", "C1")):
            if key in logs:
                values = np.asarray(logs[key], dtype=np.float64).ravel()
                epochs = np.arange(1, len(values) + 1)
                marker = "o" if len(values) <= 30 else None
                ax.plot(epochs, values, color=color, marker=marker, markersize=3, label=label)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        ax.xaxis.get_major_locator().set_params(integer=True)
    return _finish(fig, path, dpi, where)


# ----------------------------------------------------------------------------- decision boundary


def _class_colors(count: int) -> list:
    """Blue and red for two classes (as the probability map), tab10 beyond."""
    if count <= 2:
        return [BLUE, RED][:max(count, 1)]
    cmap = _matplotlib().colormaps["tab10" if count <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(count)]


def _is_probability_rows(scores: np.ndarray) -> bool:
    return bool(np.all((scores >= 0) & (scores <= 1))
                and np.allclose(scores.sum(axis=1), 1.0, atol=1e-3))


def predicted_labels(scores, classes, model_classes=None) -> tuple:
    """Turn a model's scores into (labels, probability of the positive class or None).

    * (N, C) with C > 1: the class with the highest score (``argmax``), named by
      ``model_classes`` (scikit-learn's ``classes_``) or else by ``classes`` when there are
      C of them. For C = 2 the second column's probability (a softmax of logits) is kept.
    * (N,) or (N, 1) of integers, or of whole numbers that are all known class labels:
      already labels.
    * (N,) or (N, 1) of other numbers: the probability of the positive class (values
      outside [0, 1] are logits and go through the sigmoid), thresholded at 0.5.

    Example:
        >>> labels, p = predicted_labels(np.array([[0.2], [0.9]]), np.array([0, 1]))
        >>> labels.tolist(), p.tolist()
        ([0, 1], [0.2, 0.9])
    """
    scores = np.asarray(scores)
    classes = np.asarray(classes)
    if scores.ndim == 2 and scores.shape[1] > 1:
        width = scores.shape[1]
        names = np.arange(width)
        if model_classes is not None and len(model_classes) == width:
            names = np.asarray(model_classes)
        elif len(classes) == width:
            names = classes
        probability = None
        if width == 2:
            values = scores.astype(np.float64)
            probability = (values[:, 1] if _is_probability_rows(values)
                           else 0.5 * (1.0 + np.tanh(0.5 * (values[:, 1] - values[:, 0]))))
        return names[scores.argmax(axis=1)], probability
    values = scores.reshape(len(scores))
    known = classes if model_classes is None else np.union1d(classes, model_classes)
    if values.dtype.kind not in "fc" or np.all(np.isin(values, known)):
        return values, None
    values = values.astype(np.float64)
    if values.min() < 0 or values.max() > 1:  # logits: p = sigmoid(z), written without overflow
        values = 0.5 * (1.0 + np.tanh(0.5 * values))
    names = classes if len(classes) == 2 else np.array([0, 1])
    return names[(values > 0.5).astype(np.int64)], values


def _check_2d_problem(X, y, where: str) -> tuple:
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"{where}: expected X with 2 features, shape (N, 2), to draw on a "
                         f"plane; received shape {X.shape}. Reduce the data to 2 features "
                         f"first (e.g. pick two columns or use PCA)")
    if X.dtype.kind not in "iuf" or not np.all(np.isfinite(X)) or len(X) == 0:
        raise ValueError(f"{where}: X must hold finite numbers and at least one row")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        y = y.argmax(axis=1)  # one-hot rows
    y = y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(f"{where}: expected y with one label per row of X ({len(X)}), "
                         f"received shape {y.shape}")
    return X.astype(np.float64), y


def plot_decision_boundary(model, X, y, resolution: int = 200, path=None, ax=None, *,
                           class_names=None, feature_names=None, dpi: int = 100):
    """The regions of the plane a classifier assigns to each class, with the data on top.

    The model is evaluated on a ``resolution x resolution`` grid covering the data (plus a
    margin). Two classes: the colour is the predicted probability of the second class and
    the black line is where it crosses 0.5 (the decision boundary). More classes: each
    region takes its class's colour. Points are coloured by their true class; circled
    points are misclassified.

    Args:
        model: a glassnet ``nn.Module``, a Keras-style or scikit-learn-style model
            (``predict_proba``/``predict``), or a function ``X -> scores``.
        X: the points, shape (N, 2).
        y: their true labels, shape (N,) (or one-hot (N, C)).
        resolution: grid points per axis (default 200).
        path: where to save the figure (PNG), or None.
        ax: draw into this matplotlib axes instead of a new figure.
        class_names: names for the legend, a list indexed by class label or a dict
            ``{label: name}`` (default "class 0", "class 1", ...).
        feature_names: the two axis labels (default "x1 (feature 0)", "x2 (feature 1)").
        dpi: resolution of the saved image.

    Returns:
        The Figure (``ax.figure`` when ``ax`` was given).

    Example:
        >>> import numpy as np
        >>> X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
        >>> y = np.array([0, 1, 1, 0])
        >>> fig = plot_decision_boundary(lambda X: X[:, 1], X, y, resolution=20)
        >>> fig.axes[0].get_title()
        'Decision boundary (accuracy 1.00, 0 misclassified)'
    """
    where = "plot_decision_boundary"
    X, y = _check_2d_problem(X, y, where)
    if not is_integer(resolution) or not 2 <= resolution <= 2000:
        raise ValueError(f"{where}: resolution must be an integer in [2, 2000], received "
                         f"{resolution!r}")
    _check_dpi(dpi, where)
    _check_target(path, where)
    x_label, y_label = _feature_names(feature_names, where)
    xx, yy = _plane(X, resolution)
    grid_points = np.column_stack([xx.ravel(), yy.ravel()])
    model_classes = getattr(model, "classes_", None)
    classes = np.unique(y)
    grid_labels, probability = predicted_labels(model_outputs(model, grid_points), classes,
                                                model_classes)
    point_labels, _ = predicted_labels(model_outputs(model, X), classes, model_classes)
    classes = np.unique(np.concatenate([classes, np.unique(grid_labels)]))
    colors = _class_colors(len(classes))
    if ax is None:
        fig = _figure(6.4, 5.0)
        ax = fig.add_subplot()
    fig = ax.figure
    if probability is not None:
        _draw_probability(fig, ax, xx, yy, probability.reshape(xx.shape), classes)
    else:
        _draw_regions(ax, xx, yy, np.searchsorted(classes, grid_labels).reshape(xx.shape),
                      colors)
    for color, label in zip(colors, classes):
        chosen = y == label
        if np.any(chosen):
            ax.scatter(X[chosen, 0], X[chosen, 1], color=color, edgecolors="black",
                       linewidths=0.6, s=28, label=_class_name(label, class_names, where),
                       zorder=3)
    wrong = point_labels.astype(y.dtype, copy=False) != y
    ax.scatter(X[wrong, 0], X[wrong, 1], s=110, facecolors="none", edgecolors="gold",
               linewidths=2.0, label=f"misclassified ({int(wrong.sum())})", zorder=4)
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_title(f"Decision boundary (accuracy {1.0 - wrong.mean():.2f}, "
                 f"{int(wrong.sum())} misclassified)")
    ax.legend(loc="best", fontsize=8, framealpha=0.85)
    return _finish(fig, path, dpi, where)


def _feature_names(feature_names, where: str) -> tuple:
    if feature_names is None:
        return "x1 (feature 0)", "x2 (feature 1)"
    if isinstance(feature_names, str) or len(feature_names) != 2:
        raise ValueError(f"{where}: feature_names must be two names (x axis, y axis), "
                         f"received {feature_names!r}")
    return str(feature_names[0]), str(feature_names[1])


def _class_name(label, class_names, where: str) -> str:
    if class_names is None:
        return f"class {label}"
    try:
        return str(class_names[label] if isinstance(class_names, dict)
                   else class_names[int(label)])
    except (KeyError, IndexError, ValueError, TypeError):
        raise ValueError(f"{where}: class_names has no name for class {label}; give a "
                         f"list indexed by label or a dict {{label: name}}") from None


def _plane(X: np.ndarray, resolution: int) -> tuple:
    """A grid over the data's bounding box, widened by 10% (at least 0.5) on each side."""
    low, high = X.min(axis=0), X.max(axis=0)
    margin = np.maximum(0.1 * (high - low), 0.5)
    axes = [np.linspace(low[i] - margin[i], high[i] + margin[i], resolution) for i in (0, 1)]
    return np.meshgrid(*axes)


def _draw_probability(fig, ax, xx, yy, probability, classes) -> None:
    levels = np.linspace(0.0, 1.0, 11)
    filled = ax.contourf(xx, yy, probability, levels=levels, cmap="RdBu_r", alpha=0.6)
    if probability.min() < 0.5 < probability.max():
        ax.contour(xx, yy, probability, levels=[0.5], colors="black", linewidths=1.5)
    positive = classes[-1] if len(classes) == 2 else 1
    colorbar = fig.colorbar(filled, ax=ax)
    colorbar.set_label(f"predicted P(class {positive}); black line: 0.5")


def _draw_regions(ax, xx, yy, region, colors) -> None:
    levels = np.arange(len(colors) + 1) - 0.5
    ax.contourf(xx, yy, region, levels=levels, colors=colors, alpha=0.35)
    if region.min() != region.max():
        ax.contour(xx, yy, region, levels=levels[1:-1], colors="black", linewidths=0.8)


# ----------------------------------------------------------------------------- confusion matrix


def plot_confusion_matrix(matrix_or_y_true, y_pred=None, class_names=None,
                          normalize: bool = False, path=None, *, dpi: int = 100):
    """A confusion matrix as a heat map, each cell showing its count.

    Row i, column j counts the samples of true class i predicted as class j, so the
    diagonal holds the correct predictions and everything off it is a mistake.

    Args:
        matrix_or_y_true: a square matrix of counts, or the true labels (N,) when
            ``y_pred`` is given.
        y_pred: predicted labels (N,) or scores (N, C) (the argmax is taken). None when a
            matrix is given.
        class_names: a name per class for the tick labels. Defaults to the labels.
        normalize: divide each row by its total: the cells show the fraction of each true
            class (the diagonal is then the recall of each class).
        path: where to save the figure (PNG), or None.
        dpi: resolution of the saved image.

    Returns:
        The Figure (the heat map's axes and its colour bar).

    Example:
        >>> fig = plot_confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
        >>> ax = fig.axes[0]
        >>> ax.get_xlabel(), ax.get_ylabel(), len(ax.texts)
        ('Predicted', 'True', 9)
    """
    where = "plot_confusion_matrix"
    matrix, labels = _confusion_counts(matrix_or_y_true, y_pred, where)
    size = len(matrix)
    names = [str(n) for n in (labels if class_names is None else class_names)]
    if len(names) != size:
        raise ValueError(f"{where}: expected {size} class_names (one per row of the matrix), "
                         f"received {len(names)}")
    _check_dpi(dpi, where)
    _check_target(path, where)
    total = matrix.sum()
    accuracy = np.trace(matrix) / total if total > 0 else float("nan")
    shown = matrix
    if normalize:
        rows = matrix.sum(axis=1, keepdims=True)
        shown = np.divide(matrix, rows, out=np.zeros_like(matrix, dtype=np.float64),
                          where=rows > 0)
    side = min(3.0 + 0.45 * size, 12.0)
    fig = _figure(side + 1.2, side)
    ax = fig.add_subplot()
    image = ax.imshow(shown, cmap="Blues", vmin=0)
    fig.colorbar(image, ax=ax, shrink=0.8,
                 label="fraction of the true class" if normalize else "count")
    _write_cells(ax, shown, normalize, size)
    crowded = max(map(len, names)) * size > 40  # long names would run into each other
    ax.set_xticks(np.arange(size), names, rotation=45 if crowded else 0,
                  ha="right" if crowded else "center")
    ax.set_yticks(np.arange(size), names)
    ax.set_xlabel("Predicted")
    ax.set_ylabel("True")
    title = "Confusion matrix" + (" (rows normalised)" if normalize else "")
    ax.set_title(f"{title}\naccuracy {accuracy:.3f} on {int(round(total))} samples")
    return _finish(fig, path, dpi, where)


def _confusion_counts(matrix_or_y_true, y_pred, where: str) -> tuple:
    """(matrix, class labels) from a matrix or from true and predicted labels."""
    first = np.asarray(matrix_or_y_true)
    if y_pred is None:
        if first.ndim != 2 or first.shape[0] != first.shape[1] or first.shape[0] == 0:
            raise ValueError(f"{where}: expected a square matrix of counts (or y_true and "
                             f"y_pred), received shape {first.shape}")
        if first.dtype.kind not in "iuf" or np.any(first < 0) or not np.all(np.isfinite(first)):
            raise ValueError(f"{where}: the matrix must hold non-negative finite counts")
        return first, np.arange(len(first))
    predicted = np.asarray(y_pred)
    if predicted.ndim == 2 and predicted.shape[1] > 1:
        predicted = predicted.argmax(axis=1)
    predicted = predicted.reshape(-1)
    true = first.argmax(axis=1) if first.ndim == 2 and first.shape[1] > 1 else first.reshape(-1)
    if len(true) != len(predicted) or len(true) == 0:
        raise ValueError(f"{where}: y_true and y_pred must have the same, non-zero length; "
                         f"received {len(true)} and {len(predicted)}")
    labels = np.unique(np.concatenate([true, predicted]))
    if labels.dtype.kind in "iu" and labels.min() >= 0 and labels.max() < 1000:
        labels = np.arange(labels.max() + 1)  # class k in row k, even if k never occurs
    size = len(labels)
    index = np.searchsorted(labels, true) * size + np.searchsorted(labels, predicted)
    return np.bincount(index, minlength=size * size).reshape(size, size), labels


def _write_cells(ax, shown: np.ndarray, normalize: bool, size: int) -> None:
    """Write each cell's value in it: white on dark cells, black on light ones."""
    threshold = shown.max() / 2 if shown.max() > 0 else 1
    fontsize = 10 if size <= 12 else 8 if size <= 20 else 6
    for (i, j), value in np.ndenumerate(shown):
        text = f"{value:.2f}" if normalize else f"{value:g}"
        ax.text(j, i, text, ha="center", va="center", fontsize=fontsize,
                color="white" if value > threshold else "black")


# ----------------------------------------------------------------------------- digits


def plot_digits(images, y_true=None, y_pred=None, n: int = 20, shape=None, path=None, *,
                dpi: int = 100):
    """A grid of images with their predicted and true labels; mistakes framed in red.

    Args:
        images: (N, H*W) rows of pixels (as in ``load_digits``: 64 pixels, 8 x 8) or
            (N, H, W) images.
        y_true: true labels (N,), or None.
        y_pred: predicted labels (N,) or scores (N, C) (the argmax is taken), or None.
        n: how many images to show, the first n (default 20, 10 per row).
        shape: (H, W) of one image when the rows are flat. Defaults to a square
            (64 pixels -> 8 x 8, 784 -> 28 x 28).
        path: where to save the figure (PNG), or None.
        dpi: resolution of the saved image.

    Returns:
        The Figure, one axes per image, titled "pred 3 / true 3".

    Example:
        >>> import numpy as np
        >>> images = np.zeros((3, 64))
        >>> fig = plot_digits(images, y_true=[1, 2, 3], y_pred=[1, 2, 5])
        >>> [ax.get_title() for ax in fig.axes]
        ['pred 1 / true 1', 'pred 2 / true 2', 'pred 5 / true 3']
    """
    where = "plot_digits"
    if not is_integer(n) or n < 1:
        raise ValueError(f"{where}: n must be a positive integer, received {n!r}")
    pictures = _as_images(images, shape, where)[:n]
    count = len(pictures)
    true = _labels_for(y_true, "y_true", len(images), where)
    predicted = _labels_for(y_pred, "y_pred", len(images), where)
    _check_dpi(dpi, where)
    _check_target(path, where)
    rows, columns = _grid(count, 10)
    fig = _figure(1.25 * columns + 0.3, 1.45 * rows + 0.5)
    mistakes = 0
    for i, ax in enumerate(_subplots(fig, count, 10)):
        ax.imshow(pictures[i], cmap="gray_r", interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        wrong = true is not None and predicted is not None and predicted[i] != true[i]
        mistakes += wrong
        parts = ([] if predicted is None else [f"pred {predicted[i]}"]) + (
            [] if true is None else [f"true {true[i]}"])
        ax.set_title(" / ".join(parts), fontsize=8, color=RED if wrong else "black")
        for spine in ax.spines.values():
            spine.set_color(RED if wrong else "0.8")
            spine.set_linewidth(2.5 if wrong else 0.8)
    title = f"{count} images"
    if true is not None and predicted is not None:
        title += f": {mistakes} mistake{'s' if mistakes != 1 else ''} (red)"
    fig.suptitle(title, fontsize=11)
    return _finish(fig, path, dpi, where)


def _as_images(images, shape, where: str) -> np.ndarray:
    images = np.asarray(images)
    if images.ndim == 3 and len(images) > 0:
        return images
    if images.ndim != 2 or len(images) == 0:
        raise ValueError(f"{where}: expected images of shape (N, H*W) or (N, H, W), received "
                         f"shape {images.shape}")
    pixels = images.shape[1]
    if shape is None:
        side = math.isqrt(pixels)
        if side * side != pixels:
            raise ValueError(f"{where}: rows of {pixels} pixels are not square images; "
                             f"pass shape=(height, width)")
        shape = (side, side)
    if len(shape) != 2 or int(shape[0]) * int(shape[1]) != pixels:
        raise ValueError(f"{where}: shape={tuple(shape)} does not hold {pixels} pixels per "
                         f"row")
    return images.reshape(len(images), int(shape[0]), int(shape[1]))


def _labels_for(labels, name: str, count: int, where: str):
    if labels is None:
        return None
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] > 1:
        labels = labels.argmax(axis=1)
    labels = labels.reshape(-1)
    if len(labels) != count:
        raise ValueError(f"{where}: expected {name} with one label per image ({count}), "
                         f"received {len(labels)}")
    if labels.dtype.kind == "f" and np.all(labels == np.round(labels)):
        labels = labels.astype(np.int64)  # print 3, not 3.0
    return labels

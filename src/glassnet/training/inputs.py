"""Checking and converting what ``fit``/``evaluate``/``predict`` receive, once per call.

Every function raises ``ValueError``/``TypeError`` with a message that starts with the
method (``where``) and says what was expected and what was received, e.g.

    fit: class labels must be in [0, 2] for a model with 3 outputs, received labels [3, 7]

The training loop then slices batches from the checked arrays without looking again.

Example:
    >>> import numpy as np
    >>> features(np.array([[1, 2], [3, 4]]), np.dtype("float32"), "fit").dtype
    dtype('float32')
    >>> features(np.array([1.0, 2.0]), np.dtype("float32"), "fit")
    Traceback (most recent call last):
    ...
    ValueError: fit: x must be 2-D (samples, features), received shape (2,); ...
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.data.loaders import check_finite
from glassnet.tensor import Tensor


def positive_int(value, name: str, where: str) -> int:
    """``value`` as an int >= 1 (bools refused); ValueError naming ``where`` and ``name``.

    Example:
        >>> positive_int(3, "epochs", "fit")
        3
        >>> positive_int(0, "epochs", "fit")
        Traceback (most recent call last):
        ...
        ValueError: fit: epochs must be a positive integer, received 0
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{where}: {name} must be a positive integer, received {value!r}")
    return int(value)


def batch_size(value, where: str) -> int:
    """The batch size to use: 32 when not given (Keras's default), else a positive int.

    Example:
        >>> batch_size(None, "fit"), batch_size(8, "fit")
        (32, 8)
    """
    return positive_int(32 if value is None else value, "batch_size", where)


def as_array(values, name: str, where: str):
    """``values`` as a NumPy array of numbers or bools (a tensor's own array; None stays None).

    Example:
        >>> import glassnet as gn
        >>> as_array(gn.tensor([1.0, 2.0]), "x", "fit")
        array([1., 2.], dtype=float32)
        >>> as_array(["cat", "dog"], "y", "fit")
        Traceback (most recent call last):
        ...
        TypeError: fit: y must hold numbers, received dtype <U3; encode text labels as ...
    """
    if values is None:
        return None
    if isinstance(values, Tensor):
        return values.data
    array = np.asarray(values)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"{where}: {name} must hold numbers, received dtype {array.dtype}"
                        + ("; encode text labels as integers first (e.g. np.unique(y, "
                           "return_inverse=True))" if name == "y" else ""))
    return array


def describe(values: np.ndarray, limit: int = 5) -> str:
    """The distinct values, sorted, at most ``limit`` of them, for error messages.

    Example:
        >>> describe(np.array([3, 1, 2, 1, 9, 8, 7])), describe(np.array([0.5, 1.0]))
        ('[1, 2, 3, 7, 8, ...]', '[0.5, 1]')
    """
    unique = np.unique(values)
    text = ", ".join(f"{v:g}" if isinstance(v, float) else str(v) for v in unique[:limit].tolist())
    return f"[{text}{', ...' if len(unique) > limit else ''}]"


def features(x, dtype: np.dtype, where: str) -> np.ndarray:
    """Inputs as one array of the parameters' dtype (converted once per call), checked.

    x must be at least 2-D (samples, features), non-empty and finite (also after the cast).

    Example:
        >>> features([[1, 2], [3, 4]], np.dtype("float32"), "predict")
        array([[1., 2.],
               [3., 4.]], dtype=float32)
    """
    if x is None:
        raise ValueError(f"{where}: x is None; pass the inputs as an array (samples, "
                         f"features)")
    x = as_array(x, "x", where)
    if x.ndim < 2:
        raise ValueError(
            f"{where}: x must be 2-D (samples, features), received shape {x.shape}; use "
            f"x.reshape(-1, 1) for a single feature or x.reshape(1, -1) for one sample"
        )
    if len(x) == 0:
        raise ValueError(f"{where}: x is empty (shape {x.shape}); it needs at least one "
                         f"sample")
    check_finite(x, f"{where}: x")
    if x.dtype != dtype:
        with np.errstate(over="ignore"):
            x = x.astype(dtype)
        check_finite(x, f"{where}: x (as {dtype})")
    return x


def targets(y, n: int, output_shape: tuple, loss, dtype: np.dtype, where: str) -> np.ndarray:
    """Targets shaped and typed for the loss, checked once per call (not per batch).

    Args:
        y: the targets, one per sample.
        n: the number of samples in x.
        output_shape: the model's output shape (batch first).
        loss: the ``LossSpec``; its ``targets`` says what it expects.
        dtype: the float dtype of the model.
        where: the calling method, for messages.

    Example:
        >>> from glassnet.training.losses import get
        >>> f32 = np.dtype("float32")
        >>> targets([0, 2, 1], 3, (None, 3), get("sparse_categorical_crossentropy"), f32, "fit")
        array([0, 2, 1])
        >>> targets([1.0, 2.0], 2, (None, 1), get("mse"), f32, "fit")
        array([[1.],
               [2.]], dtype=float32)
    """
    if y is None:
        raise ValueError(f"{where}: y is None; pass the targets (one per sample of x)")
    y = as_array(y, "y", where)
    if y.ndim == 0 or len(y) != n:
        raise ValueError(
            f"{where}: x and y must have the same number of samples: x has {n}, y has "
            f"shape {y.shape}"
        )
    check_finite(y, f"{where}: y")
    kind = loss.targets
    width = output_shape[-1] if len(output_shape) > 1 else 1
    if kind == "labels_or_probabilities":
        sparse = y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1 and width != 1)
        kind = "sparse" if sparse else "one_hot"
    if kind == "callable" and y.ndim == 1 and width > 1 and y.dtype.kind in "iu":
        return y.astype(np.int64, copy=False)  # integer labels for CrossEntropyLoss & co.
    if kind == "sparse":
        return class_labels(y, width, loss.name, where)
    return float_targets(y, output_shape, kind, loss.name, dtype, where)


def class_labels(y: np.ndarray, classes: int, loss_name: str, where: str) -> np.ndarray:
    """Integer labels (N,) in [0, classes - 1]; (N, 1) and whole-number floats accepted.

    Example:
        >>> class_labels(np.array([[0.0], [2.0]]), 3, "sparse_categorical_crossentropy", "fit")
        array([0, 2])
        >>> class_labels(np.array([0, 3]), 3, "sparse_categorical_crossentropy", "fit")
        Traceback (most recent call last):
        ...
        ValueError: fit: class labels must be in [0, 2] for a model with 3 outputs, ...
    """
    name = loss_name
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"{where}: {name} needs integer class labels of shape (N,), "
                         f"received shape {y.shape}; for one-hot targets use "
                         f"'categorical_crossentropy'")
    if y.dtype.kind == "f":
        bad = y[y != np.round(y)]
        if bad.size:
            raise ValueError(
                f"{where}: {name} needs integer class labels, received float labels "
                f"such as {describe(bad)}; convert them with y.astype(int) if they are "
                f"classes, or use a regression loss such as 'mse'"
            )
    labels = y.astype(np.int64)
    bad = labels[(labels < 0) | (labels >= classes)]
    if bad.size:
        hint = ""
        if classes == 1:
            hint = ("; the model has one output: for two classes use a sigmoid output with "
                    "'binary_crossentropy', or Dense(2, activation='softmax')")
        raise ValueError(
            f"{where}: class labels must be in [0, {classes - 1}] for a model with "
            f"{classes} output{'s' if classes > 1 else ''}, received labels "
            f"{describe(bad, 10)}{hint}"
        )
    return labels


def float_targets(y, output_shape: tuple, kind: str, loss_name: str, dtype: np.dtype,
                  where: str) -> np.ndarray:
    """Float targets shaped like the output ((N,) becomes (N, 1)); "binary" ones in [0, 1].

    Example:
        >>> float_targets(np.array([0.0, 1.0]), (None, 1), "binary", "binary_crossentropy",
        ...               np.dtype("float32"), "fit")
        array([[0.],
               [1.]], dtype=float32)
    """
    tail = tuple(output_shape[1:])
    if y.shape[1:] != tail:
        if kind == "one_hot" and y.ndim == 1:
            raise ValueError(
                f"{where}: {loss_name} needs one-hot targets of shape (N, "
                f"{tail[-1] if tail else '?'}), received integer labels of shape "
                f"{y.shape}; use loss='sparse_categorical_crossentropy' for labels"
            )
        if y.ndim == 1 and tail == (1,):
            y = y.reshape(-1, 1)
        else:
            raise ValueError(
                f"{where}: y has shape {y.shape} but the model outputs shape "
                f"(N, {', '.join(map(str, tail))}); the targets must match the output"
            )
    if kind == "binary":
        bad = y[(y < 0) | (y > 1)]
        if bad.size:
            raise ValueError(f"{where}: {loss_name} needs targets in [0, 1], "
                             f"received values {describe(bad)}")
    return y if y.dtype == dtype else y.astype(dtype)


def sample_weights(sample_weight, class_weight, y: np.ndarray, n: int, dtype: np.dtype,
                   where: str):
    """One weight per sample from sample_weight and/or class_weight (multiplied).

    ``w_i = sample_weight_i * class_weight[y_i]``; None when neither is given.

    Example:
        >>> sample_weights([1.0, 2.0, 1.0], {1: 3.0}, np.array([0, 1, 1]), 3,
        ...                np.dtype("float32"), "fit")
        array([1., 6., 3.], dtype=float32)
    """
    weight = None
    if sample_weight is not None:
        weight = np.asarray(as_array(sample_weight, "sample_weight", where), np.float64)
        if weight.ndim == 2 and weight.shape[1] == 1:
            weight = weight[:, 0]
        if weight.shape != (n,):
            raise ValueError(f"{where}: sample_weight must have one weight per sample, "
                             f"shape ({n},), received shape {weight.shape}")
    if class_weight is not None:
        per_class = class_weights(class_weight, y, where)
        weight = per_class if weight is None else weight * per_class
    if weight is None:
        return None
    check_finite(weight, f"{where}: sample weights")
    if (weight < 0).any():
        raise ValueError(f"{where}: sample weights must be >= 0, received "
                         f"{describe(weight[weight < 0])}")
    return weight.astype(dtype)


def class_weights(class_weight, y: np.ndarray, where: str) -> np.ndarray:
    """Each sample's class weight, ``class_weight[label]`` (1 for classes not listed).

    Labels are ``y`` itself, or its argmax for one-hot rows.

    Example:
        >>> class_weights({0: 1.0, 1: 5.0}, np.array([0, 1, 1, 0]), "fit")
        array([1., 5., 5., 1.])
    """
    if not isinstance(class_weight, dict):
        raise TypeError(f"{where}: class_weight must be a dict {{class: weight}}, "
                        f"received {type(class_weight).__name__}")
    if y.ndim > 1 and y.shape[-1] != 1:
        labels = y.argmax(axis=-1)
    else:
        labels = np.round(y.reshape(len(y))).astype(np.int64)
    keys = [int(k) for k in class_weight]
    if any(k < 0 for k in keys) or labels.min(initial=0) < 0:
        raise ValueError(f"{where}: class_weight needs class indices >= 0 as keys and as "
                         f"labels, received keys {sorted(class_weight)} and labels "
                         f"{describe(labels)}")
    table = np.ones(max(max(keys, default=0), int(labels.max(initial=0))) + 1)
    table[keys] = [float(v) for v in class_weight.values()]
    return table[labels]


def split_validation(x, y, sample_weight, validation_split, validation_data, where: str):
    """(x, y, w, x_val, y_val, w_val); validation_split keeps the LAST rows (Keras).

    With n samples the first floor(n * (1 - validation_split)) train, the rest validate.

    Example:
        >>> x, y = np.arange(10.0).reshape(5, 2), np.arange(5)
        >>> x_train, y_train, w, x_val, y_val, w_val = split_validation(x, y, None, 0.4, None,
        ...                                                              "fit")
        >>> y_train, y_val, w
        (array([0, 1, 2]), array([3, 4]), None)
    """
    if validation_data is not None:
        if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
            raise ValueError(f"{where}: validation_data must be (x_val, y_val) or "
                             f"(x_val, y_val, sample_weight_val)")
        x_val, y_val, *rest = validation_data
        return x, y, sample_weight, x_val, y_val, (rest[0] if rest else None)
    if not validation_split:
        return x, y, sample_weight, None, None, None
    if not 0 < validation_split < 1:
        raise ValueError(f"{where}: validation_split must be in [0, 1), received "
                         f"{validation_split}")
    split = int(math.floor(len(x) * (1.0 - validation_split)))
    if split == 0 or split == len(x):
        raise ValueError(f"{where}: validation_split={validation_split} leaves "
                         f"{split} training and {len(x) - split} validation samples out "
                         f"of {len(x)}; both need at least one")
    weight = None if sample_weight is None else np.asarray(sample_weight)
    return (x[:split], y[:split], None if weight is None else weight[:split],
            x[split:], y[split:], None if weight is None else weight[split:])

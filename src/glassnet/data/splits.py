"""Preparing arrays for training: train/test split, standardization, one-hot labels.

Example:
    >>> from glassnet.data import load_digits, train_test_split, standardize, one_hot
    >>> X, y = load_digits()
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    >>> X_train, mean, std = standardize(X_train)
    >>> X_test, _, _ = standardize(X_test, mean, std)  # the training statistics, never the test's
    >>> X_train.shape, X_test.shape, one_hot(y_train).shape
    ((1437, 64), (360, 64), (1437, 10))
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from glassnet.backend import as_dtype, get_generator
from glassnet.data.loaders import check_finite

__all__ = ["one_hot", "standardize", "train_test_split"]


# --------------------------------------------------------------------------------------------
# train_test_split
# --------------------------------------------------------------------------------------------


def _check_size(size, name: str, n_samples: int) -> None:
    """A split size is None, a fraction in (0, 1) or a count in [1, n_samples - 1]."""
    if size is None:
        return
    if isinstance(size, bool) or not isinstance(size, numbers.Real):
        raise TypeError(
            f"train_test_split: {name} must be a float in (0, 1), an int or None, received {size!r}"
        )
    if isinstance(size, numbers.Integral):
        if not 0 < size < n_samples:
            raise ValueError(
                f"train_test_split: {name}={size} should be an int in [1, {n_samples - 1}] "
                f"(there are {n_samples} samples) or a float in (0, 1)"
            )
    elif not 0 < size < 1:
        raise ValueError(
            f"train_test_split: {name}={size} should be a float in (0, 1) or an int in "
            f"[1, {n_samples - 1}]"
        )


def _is_fraction(size) -> bool:
    return size is not None and not isinstance(size, numbers.Integral)


def _split_sizes(n_samples: int, test_size, train_size):
    """(n_train, n_test) with scikit-learn's rules: the test share rounds up, train down."""
    if test_size is None and train_size is None:
        test_size = 0.25
    _check_size(test_size, "test_size", n_samples)
    _check_size(train_size, "train_size", n_samples)
    fractions = [s for s in (test_size, train_size) if _is_fraction(s)]
    if len(fractions) == 2 and sum(fractions) > 1:
        raise ValueError(
            f"train_test_split: test_size={test_size} plus train_size={train_size} is more "
            "than 1; reduce one of them"
        )

    def count(size, round_):
        return int(round_(size * n_samples)) if _is_fraction(size) else int(size)

    n_test = None if test_size is None else count(test_size, math.ceil)
    n_train = None if train_size is None else count(train_size, math.floor)
    if n_train is None:
        n_train = n_samples - n_test
    if n_test is None:
        n_test = n_samples - n_train
    if n_train + n_test > n_samples:
        raise ValueError(
            f"train_test_split: {n_train} train + {n_test} test samples is more than the "
            f"{n_samples} samples there are"
        )
    if n_train == 0 or n_test == 0:
        raise ValueError(
            f"train_test_split: with {n_samples} samples, test_size={test_size} and "
            f"train_size={train_size}, the {'train' if n_train == 0 else 'test'} set would "
            "be empty; adjust the sizes"
        )
    return n_train, n_test


def _allocate(total: int, counts: np.ndarray) -> np.ndarray:
    """Share ``total`` places between classes in proportion to ``counts`` (total <= n).

    Largest remainder method, as scikit-learn's stratified split: every class gets
    floor(total * count / n); the places left over go to the classes with the largest
    fractional parts, one each. Ties go to the smaller class index (scikit-learn draws
    them at random, the only case where the counts can differ).
    """
    quota = total * counts / counts.sum()
    taken = np.floor(quota).astype(np.int64)
    by_remainder = np.argsort(-(quota - taken), kind="stable")
    taken[by_remainder[: total - taken.sum()]] += 1
    return taken


def _stratified_indices(stratify, n_train, n_test, rng):
    """Train and test indices that keep the class proportions of ``stratify``."""
    _, classes = np.unique(stratify, axis=0, return_inverse=True)
    classes = classes.reshape(-1)
    counts = np.bincount(classes)
    if counts.min() < 2:
        raise ValueError(
            "train_test_split: the least populated class in stratify has only 1 member; "
            "every class needs at least 2 (one for train, one for test)"
        )
    if n_test < len(counts) or n_train < len(counts):
        raise ValueError(
            f"train_test_split: with stratify, the train ({n_train}) and test ({n_test}) "
            f"sets need at least one sample of each of the {len(counts)} classes"
        )
    # train first, then test from what is left: scikit-learn's order, so the counts agree
    train_counts = _allocate(n_train, counts)
    test_counts = _allocate(n_test, counts - train_counts)

    train, test = [], []
    for k in range(len(counts)):
        members = rng.permutation(np.flatnonzero(classes == k))
        test.append(members[: test_counts[k]])
        train.append(members[test_counts[k] : test_counts[k] + train_counts[k]])
    # mix the classes, so the rows do not come class by class
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def train_test_split(
    *arrays,
    test_size=None,
    train_size=None,
    random_state=None,
    shuffle=True,
    stratify=None,
):
    """Split arrays into random train and test parts, as scikit-learn's ``train_test_split``.

    The same rows are taken from every array. Sizes: a float is a fraction of the samples
    (the test count rounds up, the train count down), an int an exact count; when only one
    is given the other part gets the rest; when neither is, ``test_size`` is 0.25.

    Args:
        *arrays: arrays (or lists) with the same length along axis 0.
        test_size: float in (0, 1), int, or None (the rest, or 0.25 if both are None).
        train_size: float in (0, 1), int, or None (the rest).
        random_state: None (glassnet's default generator), an int seed or a Generator.
            The same seed gives the same split.
        shuffle: shuffle before splitting; if False, the first rows are the train set.
        stratify: labels (or None) whose class proportions both parts keep, e.g. ``y``.

    Returns:
        list: ``[a_train, a_test, b_train, b_test, ...]``, NumPy arrays, so
        ``X_train, X_test, y_train, y_test = train_test_split(X, y)``.

    Raises:
        ValueError: no arrays, arrays of different lengths (the message gives the shapes),
            sizes out of range, a class with fewer than 2 members, or
            ``stratify`` with ``shuffle=False``.

    Example:
        >>> X = np.arange(20).reshape(10, 2)
        >>> y = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
        >>> X_train, X_test, y_train, y_test = train_test_split(
        ...     X, y, test_size=0.4, random_state=0, stratify=y)
        >>> X_train.shape, X_test.shape, np.bincount(y_test).tolist()
        ((6, 2), (4, 2), [2, 2])
        >>> train_test_split(X, y, test_size=3, shuffle=False)[3].tolist()
        [1, 1, 1]
    """
    if not arrays:
        raise ValueError("train_test_split: at least one array is required")
    arrays = [np.asarray(array) for array in arrays]
    if any(array.ndim == 0 for array in arrays):
        raise ValueError("train_test_split: received a scalar; every input must be an array")
    lengths = {len(array) for array in arrays}
    if len(lengths) > 1:
        shapes = ", ".join(str(array.shape) for array in arrays)
        raise ValueError(
            f"train_test_split: the arrays have different numbers of samples: shapes {shapes}"
        )
    n_samples = lengths.pop()
    if n_samples < 2:
        raise ValueError(f"train_test_split: need at least 2 samples, received {n_samples}")
    n_train, n_test = _split_sizes(n_samples, test_size, train_size)

    if stratify is not None:
        if not shuffle:
            raise ValueError(
                "train_test_split: stratify needs shuffle=True (scikit-learn's rule as well)"
            )
        stratify = np.asarray(stratify)
        if len(stratify) != n_samples:
            raise ValueError(
                f"train_test_split: stratify has {len(stratify)} labels (shape "
                f"{stratify.shape}) for {n_samples} samples"
            )
        train, test = _stratified_indices(stratify, n_train, n_test, get_generator(random_state))
    elif shuffle:
        order = get_generator(random_state).permutation(n_samples)
        test, train = order[:n_test], order[n_test : n_test + n_train]
    else:
        train, test = np.arange(n_train), np.arange(n_train, n_train + n_test)

    result = []
    for array in arrays:
        result += [array[train], array[test]]
    return result


# --------------------------------------------------------------------------------------------
# standardize and one_hot
# --------------------------------------------------------------------------------------------


def _column_statistic(value, name: str, X: np.ndarray, dtype) -> np.ndarray:
    """A given mean or std: one value per column of X (or a scalar)."""
    value = np.asarray(value, dtype=dtype)
    if value.ndim > 0 and value.shape != X.shape[1:]:
        raise ValueError(
            f"standardize: {name} has shape {value.shape}, expected {X.shape[1:]} (one value "
            f"per column of X, which has shape {X.shape})"
        )
    check_finite(value, f"standardize: {name}")
    return value


def standardize(X, mean=None, std=None):
    """Scale every column to mean 0 and standard deviation 1: z = (x - mean) / std.

    Compute ``mean`` and ``std`` on the training data, then pass them back for the test data
    so both are scaled the same way. A column whose values are all equal has std 0; its std
    is taken as 1, so it becomes all zeros instead of NaN (as scikit-learn's StandardScaler
    does). The same holds for zeros in a ``std`` you pass.

    Args:
        X: array of shape (n_samples, n_features) (or (n_samples,)); integers become float32.
        mean: per-column means to subtract, or None to compute them from X.
        std: per-column standard deviations to divide by, or None to compute them
            (population std, ddof=0).

    Returns:
        (X_std, mean, std): the scaled copy of X (X is not modified), and the mean and std
        used, in X's float dtype, each of shape (n_features,).

    Shape:
        X: (n_samples, n_features); mean, std: (n_features,).

    Raises:
        ValueError: NaN or infinity in X (naming row and column), a negative std, or mean/std
            of the wrong shape.

    Example:
        >>> X = np.array([[1.0, 5.0], [3.0, 5.0]])
        >>> X_std, mean, std = standardize(X)
        >>> X_std.tolist(), mean.tolist(), std.tolist()
        ([[-1.0, 0.0], [1.0, 0.0]], [2.0, 5.0], [1.0, 1.0])
        >>> standardize(np.array([[5.0, 7.0]]), mean, std)[0].tolist()
        [[3.0, 2.0]]
    """
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise TypeError(f"standardize: X must hold numbers, received dtype {X.dtype}")
    dtype = X.dtype if X.dtype.kind == "f" else as_dtype(None)
    X = X.astype(dtype)
    if X.ndim == 0 or len(X) == 0:
        raise ValueError(f"standardize: X must have at least one row, received shape {X.shape}")
    check_finite(X, "standardize: X")

    if mean is None:
        mean = X.mean(axis=0, dtype=np.float64).astype(dtype)
    else:
        mean = _column_statistic(mean, "mean", X, dtype)
    if std is None:
        std = X.std(axis=0, dtype=np.float64).astype(dtype)
        constant = np.ptp(X, axis=0) == 0  # exactly 0 for constant columns, even after rounding
        std = np.where(constant, dtype.type(1), std)
    else:
        std = _column_statistic(std, "std", X, dtype)
        if np.any(std < 0):
            raise ValueError(f"standardize: std must be >= 0, received {std}")
    std = np.where(std == 0, dtype.type(1), std)
    return (X - mean) / std, mean, std


def _describe(labels: np.ndarray, limit: int = 10) -> str:
    """The distinct labels as a short list for a message: [-1, 7] or [0.5, ..., 3.5]."""
    distinct = np.unique(labels).tolist()
    if len(distinct) > limit:
        return str(distinct[:limit])[:-1] + f", ... ({len(distinct)} in all)]"
    return str(distinct)


def one_hot(y, num_classes=None, *, dtype=None):
    """Turn integer class labels into one-hot rows: label k becomes a row with a 1 at column k.

    Args:
        y: class labels 0..num_classes-1, any shape; floats are accepted when they hold whole
            numbers (2.0), not 2.5.
        num_classes: number of columns; defaults to max(y) + 1.
        dtype: float dtype of the result. Defaults to float32.

    Returns:
        array of shape y.shape + (num_classes,) holding 0.0 and 1.0.

    Raises:
        TypeError: y holds text or booleans (encode them first, e.g. with ``read_csv``).
        ValueError: negative labels, labels >= num_classes, or non-whole numbers, naming them.

    Example:
        >>> one_hot([0, 2, 1]).tolist()
        [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
        >>> one_hot([0, 1], num_classes=3).shape
        (2, 3)
        >>> one_hot([0, 3], num_classes=3)
        Traceback (most recent call last):
        ...
        ValueError: one_hot: labels must be in 0..2 for num_classes=3, received [3]
    """
    y = np.asarray(y)
    resolved = as_dtype(dtype)
    if y.dtype.kind not in "iuf":
        raise TypeError(
            f"one_hot: labels must be integers 0..k-1, received dtype {y.dtype}; "
            "encode text labels first (read_csv does, keeping them in classes_)"
        )
    if y.dtype.kind == "f":
        fractional = ~np.isfinite(y)
        fractional[~fractional] = y[~fractional] != np.floor(y[~fractional])
        if fractional.any():
            raise ValueError(
                f"one_hot: labels must be whole numbers, received {_describe(y[fractional])}"
            )
    negative = y < 0
    if negative.any():
        raise ValueError(f"one_hot: labels must be >= 0, received {_describe(y[negative])}")

    if num_classes is None:
        num_classes = int(y.max()) + 1 if y.size else 0
    elif isinstance(num_classes, bool) or not isinstance(num_classes, numbers.Integral):
        raise TypeError(f"one_hot: num_classes must be an int, received {num_classes!r}")
    elif num_classes < 1:
        raise ValueError(f"one_hot: num_classes must be >= 1, received {num_classes}")
    too_large = y >= num_classes
    if too_large.any():
        raise ValueError(
            f"one_hot: labels must be in 0..{num_classes - 1} for num_classes={num_classes}, "
            f"received {_describe(y[too_large])}"
        )
    labels = y.astype(np.int64)
    return np.eye(num_classes, dtype=resolved)[labels]

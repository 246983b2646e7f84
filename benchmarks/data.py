"""The benchmark datasets: synthetic but learnable, float32, generated without big temporaries.

No temporaries as large as X: the memory subprocess takes its baseline after the data exists,
and `ru_maxrss` is a high-water mark, so a 188 MB scratch array here would hide the
implementation's own growth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from benchmarks.harness import Unavailable


@dataclass
class Split:
    """Training and test arrays of one dataset."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    source: str = ""


def mnist_like(n_samples: int, n_features: int = 784, n_classes: int = 10, seed: int = 0):
    """Synthetic MNIST-shaped data: pixels in [0, 1), labels from a fixed random linear teacher.

    label = argmax((x - 0.5) @ W_teacher * scale + gumbel noise), so a network can learn it but
    not perfectly.

    Returns:
        X float32 (n_samples, n_features) and y int64 (n_samples,).

    Example:
        >>> X, y = mnist_like(500)
        >>> X.shape, X.dtype, y.dtype, sorted(set(y.tolist())) == list(range(10))
        ((500, 784), dtype('float32'), dtype('int64'), True)
    """
    rng = np.random.default_rng(seed)
    X = rng.random((n_samples, n_features), dtype=np.float32)
    teacher = rng.standard_normal((n_features, n_classes), dtype=np.float32)
    teacher *= 3.0 / np.sqrt(n_features / 12.0)  # logits with standard deviation ~3
    # (X - 0.5) @ W == X @ W - 0.5 * colsum(W), without a temporary the size of X
    logits = X @ teacher - 0.5 * teacher.sum(axis=0)
    logits += rng.gumbel(size=logits.shape).astype(np.float32)
    return X, logits.argmax(axis=1).astype(np.int64)


def tabular(n_samples: int, n_features: int = 20, seed: int = 1):
    """Synthetic binary tabular data: a linear score plus one interaction plus noise.

    y = 1 if x @ w + x0 * x1 + noise > 0 else 0.

    Returns:
        X float32 (n_samples, n_features) and y float32 (n_samples, 1).

    Example:
        >>> X, y = tabular(1000)
        >>> X.shape, y.shape, 0.3 < float(y.mean()) < 0.7
        ((1000, 20), (1000, 1), True)
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_samples, n_features), dtype=np.float32)
    w = rng.standard_normal(n_features, dtype=np.float32) / np.sqrt(n_features)
    score = X @ w + X[:, 0] * X[:, 1] + 0.3 * rng.standard_normal(n_samples, dtype=np.float32)
    return X, (score > 0).astype(np.float32).reshape(-1, 1)


def xor():
    """The four XOR points and their labels, float32.

    Example:
        >>> X, y = xor()
        >>> y.ravel().tolist()
        [0.0, 1.0, 1.0, 0.0]
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    return X, np.array([[0], [1], [1], [0]], dtype=np.float32)


def digits(test_size: float = 0.2, random_state: int = 42) -> Split:
    """The 8x8 digits (1797 images), pixels scaled to [0, 1], split 80/20 with seed 42.

    Uses scikit-learn's copy and split when installed, else glassnet's bundled copy and a
    seeded permutation.

    Example:
        >>> split = digits()
        >>> split.X_train.shape, split.X_test.shape, split.X_train.dtype
        ((1437, 64), (360, 64), dtype('float32'))
    """
    try:
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
    except ImportError:
        return _digits_from_glassnet(test_size, random_state)
    X, y = load_digits(return_X_y=True)
    X = (X / 16.0).astype(np.float32)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y.astype(np.int64), test_size=test_size, random_state=random_state
    )
    return Split(X_train, y_train, X_test, y_test, source="sklearn.datasets.load_digits")


def _digits_from_glassnet(test_size: float, random_state: int) -> Split:
    try:
        from glassnet.data import load_digits
    except Exception as exc:
        raise Unavailable("digits need scikit-learn or glassnet.data.load_digits") from exc
    X, y = load_digits()
    X = np.asarray(X, dtype=np.float32)
    X = X / np.float32(max(float(X.max()), 1.0))
    order = np.random.default_rng(random_state).permutation(len(X))
    n_test = int(round(test_size * len(X)))
    test, train = order[:n_test], order[n_test:]
    y = np.asarray(y, dtype=np.int64)
    return Split(X[train], y[train], X[test], y[test], source="glassnet.data.load_digits")

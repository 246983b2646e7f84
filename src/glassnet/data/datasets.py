"""Built-in datasets: logic gates, 2-D toy problems, a noisy line, the students table, digits.

Everything here works offline and returns NumPy arrays: features ``X`` as float32 (or the
``dtype`` you ask for) and class labels ``y`` as int64. The generators take a
``random_state`` (``None``, an int seed or a ``numpy.random.Generator``): the same seed gives
bit-identical data.

``load_digits`` reads a copy of the data shipped inside glassnet, so it needs no extra
install. ``load_iris``, ``load_breast_cancer``, ``load_wine`` and ``load_diabetes`` come from
scikit-learn (``pip install 'glassnet[sklearn]'``).

Example:
    >>> from glassnet.data import xor, make_moons
    >>> X, y = xor()
    >>> X.dtype, y.tolist()
    (dtype('float32'), [0, 1, 1, 0])
    >>> X, y = make_moons(100, noise=0.1, random_state=0)
    >>> X.shape, y.shape, int(y.sum())
    ((100, 2), (100,), 50)
"""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass
from importlib import resources

import numpy as np

from glassnet.backend import as_dtype, get_generator
from glassnet.data.loaders import check_finite

__all__ = [
    "DatasetInfo",
    "and_gate",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_wine",
    "make_blobs",
    "make_circles",
    "make_line",
    "make_moons",
    "make_spirals",
    "or_gate",
    "students",
    "xor",
]


# --------------------------------------------------------------------------------------------
# Checks shared by the functions below
# --------------------------------------------------------------------------------------------


def _float_dtype(dtype, where: str) -> np.dtype:
    """Resolve ``dtype`` (None means glassnet's default, float32) and insist on a float type."""
    resolved = as_dtype(dtype)
    if resolved.kind != "f":
        raise TypeError(
            f"{where}: dtype must be a float type such as float32 or float64, received {dtype!r}"
        )
    return resolved


def _check_count(value, name: str, where: str, minimum: int = 1) -> int:
    """An integer argument such as ``n_samples``, at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{where}: {name} must be an int, received {value!r}")
    if value < minimum:
        raise ValueError(f"{where}: {name} must be >= {minimum}, received {value}")
    return int(value)


def _check_non_negative(value, name: str, where: str) -> float:
    """A real argument such as ``noise``, at least 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{where}: {name} must be a number, received {value!r}")
    if not value >= 0:  # also catches NaN
        raise ValueError(f"{where}: {name} must be >= 0, received {value}")
    return float(value)


def _split_evenly(n_samples: int, n_groups: int) -> np.ndarray:
    """Group sizes that differ by at most one: 7 into 3 groups gives [3, 2, 2]."""
    sizes = np.full(n_groups, n_samples // n_groups)
    sizes[: n_samples % n_groups] += 1
    return sizes


def _finish(X, y, noise, rng, shuffle, dtype):
    """Shuffle the rows (optional), add Gaussian noise with std ``noise``, cast ``X``."""
    if shuffle:
        order = rng.permutation(len(y))
        X, y = X[order], y[order]
    X = X + noise * rng.standard_normal(X.shape)
    return X.astype(dtype), y.astype(np.int64)


# --------------------------------------------------------------------------------------------
# Logic gates and the students table
# --------------------------------------------------------------------------------------------

_GATE_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]


def _gate(outputs, dtype, where):
    X = np.array(_GATE_INPUTS, dtype=_float_dtype(dtype, where))
    return X, np.array(outputs, dtype=np.int64)


def xor(dtype=None):
    """The XOR truth table: output 1 when exactly one input is 1.

    Not linearly separable, so a single perceptron cannot learn it; a 2-4-1 network can.

    Args:
        dtype: float dtype of ``X``. Defaults to glassnet's default (float32).

    Returns:
        (X, y): X of shape (4, 2) with rows [0, 0], [0, 1], [1, 0], [1, 1]; y int64 of shape (4,).

    Example:
        >>> X, y = xor()
        >>> X.tolist(), y.tolist()
        ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    return _gate([0, 1, 1, 0], dtype, "xor")


def and_gate(dtype=None):
    """The AND truth table: output 1 only when both inputs are 1 (linearly separable).

    Args:
        dtype: float dtype of ``X``. Defaults to glassnet's default (float32).

    Returns:
        (X, y): X of shape (4, 2) with rows [0, 0], [0, 1], [1, 0], [1, 1]; y int64 of shape (4,).

    Example:
        >>> X, y = and_gate()
        >>> y.tolist()
        [0, 0, 0, 1]
    """
    return _gate([0, 0, 0, 1], dtype, "and_gate")


def or_gate(dtype=None):
    """The OR truth table: output 1 when at least one input is 1 (linearly separable).

    Args:
        dtype: float dtype of ``X``. Defaults to glassnet's default (float32).

    Returns:
        (X, y): X of shape (4, 2) with rows [0, 0], [0, 1], [1, 0], [1, 1]; y int64 of shape (4,).

    Example:
        >>> X, y = or_gate(dtype="float64")
        >>> X.dtype, y.tolist()
        (dtype('float64'), [0, 1, 1, 1])
    """
    return _gate([0, 1, 1, 1], dtype, "or_gate")


_STUDENTS_X = [
    [1, 5], [2, 6], [1, 4], [3, 5], [4, 6], [5, 5], [5, 7], [6, 6],
    [7, 5], [8, 6], [2, 3], [3, 4], [6, 7], [7, 8], [8, 7],
]  # fmt: skip
_STUDENTS_Y = [0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1]


def students(dtype=None):
    """The tutorials' pass/fail table: hours studied and hours slept -> passed the exam.

    15 students; column 0 is hours of study, column 1 hours of sleep; y is 1 for a pass.

    Args:
        dtype: float dtype of ``X``. Defaults to glassnet's default (float32).

    Returns:
        (X, y): X of shape (15, 2), y int64 of shape (15,).

    Example:
        >>> X, y = students()
        >>> X[:3].tolist(), y[:3].tolist(), int(y.sum())
        ([[1.0, 5.0], [2.0, 6.0], [1.0, 4.0]], [0, 0, 0], 9)
    """
    X = np.array(_STUDENTS_X, dtype=_float_dtype(dtype, "students"))
    return X, np.array(_STUDENTS_Y, dtype=np.int64)


# --------------------------------------------------------------------------------------------
# Generated 2-D problems and a noisy line
# --------------------------------------------------------------------------------------------


def make_moons(n_samples=200, noise=0.1, random_state=None, *, shuffle=True, dtype=None):
    """Two interleaving half circles, a classic non-linear 2-class problem.

    Class 0 is the upper moon (cos t, sin t), class 1 the lower one (1 - cos t, 0.5 - sin t),
    for t evenly spaced in [0, pi]; then Gaussian noise with standard deviation ``noise`` is
    added to every coordinate. Same construction as scikit-learn's ``make_moons`` (the random
    numbers differ, since glassnet draws from a ``numpy.random.Generator``).

    Args:
        n_samples: total number of points; class 0 gets ``n_samples // 2``.
        noise: standard deviation of the Gaussian noise, >= 0.
        random_state: None (glassnet's default generator), an int seed or a Generator.
        shuffle: shuffle the rows; if False, all class-0 rows come first.
        dtype: float dtype of ``X``. Defaults to float32.

    Returns:
        (X, y): X of shape (n_samples, 2), y int64 of shape (n_samples,) in {0, 1}.

    Example:
        >>> X, y = make_moons(7, noise=0.0, shuffle=False)
        >>> y.tolist()
        [0, 0, 0, 1, 1, 1, 1]
        >>> X[0].tolist(), X[3].tolist()
        ([1.0, 0.0], [0.0, 0.5])
    """
    n_samples = _check_count(n_samples, "n_samples", "make_moons")
    noise = _check_non_negative(noise, "noise", "make_moons")
    dtype = _float_dtype(dtype, "make_moons")
    rng = get_generator(random_state)

    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    t_outer = np.linspace(0.0, np.pi, n_outer)
    t_inner = np.linspace(0.0, np.pi, n_inner)
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = np.column_stack([1.0 - np.cos(t_inner), 0.5 - np.sin(t_inner)])
    X = np.vstack([outer, inner])
    y = np.repeat([0, 1], [n_outer, n_inner])
    return _finish(X, y, noise, rng, shuffle, dtype)


def make_circles(
    n_samples=200, noise=0.05, factor=0.5, random_state=None, *, shuffle=True, dtype=None
):
    """A small circle inside a large one: 2 classes that no straight line separates.

    Class 0 lies on the unit circle, class 1 on a circle of radius ``factor``; points are
    evenly spaced in angle, then Gaussian noise with standard deviation ``noise`` is added.

    Args:
        n_samples: total number of points; the outer circle gets ``n_samples // 2``.
        noise: standard deviation of the Gaussian noise, >= 0.
        factor: radius of the inner circle, in [0, 1).
        random_state: None (glassnet's default generator), an int seed or a Generator.
        shuffle: shuffle the rows; if False, all class-0 rows come first.
        dtype: float dtype of ``X``. Defaults to float32.

    Returns:
        (X, y): X of shape (n_samples, 2), y int64 of shape (n_samples,) in {0, 1}.

    Example:
        >>> X, y = make_circles(8, noise=0.0, factor=0.5, shuffle=False)
        >>> radius = (X ** 2).sum(axis=1) ** 0.5
        >>> radius.round(3).tolist(), y.tolist()
        ([1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5], [0, 0, 0, 0, 1, 1, 1, 1])
    """
    n_samples = _check_count(n_samples, "n_samples", "make_circles")
    noise = _check_non_negative(noise, "noise", "make_circles")
    if not 0 <= _check_non_negative(factor, "factor", "make_circles") < 1:
        raise ValueError(f"make_circles: factor must be in [0, 1), received {factor}")
    dtype = _float_dtype(dtype, "make_circles")
    rng = get_generator(random_state)

    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    t_outer = np.linspace(0.0, 2 * np.pi, n_outer, endpoint=False)
    t_inner = np.linspace(0.0, 2 * np.pi, n_inner, endpoint=False)
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = factor * np.column_stack([np.cos(t_inner), np.sin(t_inner)])
    X = np.vstack([outer, inner])
    y = np.repeat([0, 1], [n_outer, n_inner])
    return _finish(X, y, noise, rng, shuffle, dtype)


def make_spirals(
    n_samples=200, n_classes=2, noise=0.05, random_state=None, *, shuffle=True, dtype=None
):
    """Interleaved spiral arms, one per class (the CS231n spiral problem).

    Arm k has points at radius r evenly spaced in [0, 1] and angle
    theta = 2 * pi * k / n_classes + 2 * pi * r (one full turn), so the point is
    (r * cos(theta), r * sin(theta)); then Gaussian noise with std ``noise`` is added.

    Args:
        n_samples: total number of points, shared as evenly as possible between the arms.
        n_classes: number of arms (classes), >= 1.
        noise: standard deviation of the Gaussian noise, >= 0.
        random_state: None (glassnet's default generator), an int seed or a Generator.
        shuffle: shuffle the rows; if False, the rows come arm by arm.
        dtype: float dtype of ``X``. Defaults to float32.

    Returns:
        (X, y): X of shape (n_samples, 2), y int64 of shape (n_samples,) in 0..n_classes-1.

    Example:
        >>> X, y = make_spirals(300, n_classes=3, random_state=0)
        >>> X.shape, np.bincount(y).tolist()
        ((300, 2), [100, 100, 100])
    """
    n_samples = _check_count(n_samples, "n_samples", "make_spirals")
    n_classes = _check_count(n_classes, "n_classes", "make_spirals")
    noise = _check_non_negative(noise, "noise", "make_spirals")
    dtype = _float_dtype(dtype, "make_spirals")
    rng = get_generator(random_state)

    sizes = _split_evenly(n_samples, n_classes)
    y = np.repeat(np.arange(n_classes), sizes)
    # position of every point along its own arm, from 0 (centre) to 1 (outer end)
    radius = np.concatenate([np.linspace(0.0, 1.0, size) for size in sizes])
    theta = 2 * np.pi * y / n_classes + 2 * np.pi * radius
    X = radius[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return _finish(X, y, noise, rng, shuffle, dtype)


def make_blobs(
    n_samples=200,
    centers=3,
    n_features=2,
    cluster_std=1.0,
    random_state=None,
    *,
    center_box=(-10.0, 10.0),
    shuffle=True,
    dtype=None,
):
    """Gaussian blobs around some centres, one class per centre.

    Row i of class k is centers[k] + cluster_std[k] * N(0, I). Points are shared between the
    centres as evenly as possible (the first centres get one more when it does not divide).

    Args:
        n_samples: total number of points.
        centers: the number of centres (drawn uniformly inside ``center_box``) or an array
            of shape (n_centers, n_features) with the centres themselves; then ``n_features``
            is taken from its width, as scikit-learn does.
        n_features: number of columns of ``X`` when ``centers`` is a number.
        cluster_std: standard deviation of every blob, or one per centre.
        random_state: None (glassnet's default generator), an int seed or a Generator.
        center_box: (low, high) bounds for randomly drawn centres.
        shuffle: shuffle the rows; if False, the rows come centre by centre.
        dtype: float dtype of ``X``. Defaults to float32.

    Returns:
        (X, y): X of shape (n_samples, n_features), y int64 of shape (n_samples,).

    Example:
        >>> X, y = make_blobs(4, centers=[[0, 0], [10, 10]], cluster_std=0.0, shuffle=False)
        >>> X.tolist(), y.tolist()
        ([[0.0, 0.0], [0.0, 0.0], [10.0, 10.0], [10.0, 10.0]], [0, 0, 1, 1])
        >>> X, y = make_blobs(300, centers=3, n_features=5, random_state=0)
        >>> X.shape, np.bincount(y).tolist()
        ((300, 5), [100, 100, 100])
    """
    n_samples = _check_count(n_samples, "n_samples", "make_blobs")
    dtype = _float_dtype(dtype, "make_blobs")
    rng = get_generator(random_state)

    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        n_centers = _check_count(centers, "centers", "make_blobs")
        n_features = _check_count(n_features, "n_features", "make_blobs")
        low, high = center_box
        centers = rng.uniform(low, high, size=(n_centers, n_features))
    else:
        centers = np.asarray(centers, dtype=np.float64)
        if centers.ndim != 2 or len(centers) == 0:
            raise ValueError(
                "make_blobs: centers must be an int or an array of shape (n_centers, "
                f"n_features), received shape {centers.shape}"
            )
        n_centers = len(centers)

    std = np.asarray(cluster_std, dtype=np.float64)
    if std.ndim > 1 or std.size not in (1, n_centers):
        raise ValueError(
            f"make_blobs: cluster_std must be one number or one per centre ({n_centers}), "
            f"received shape {std.shape}"
        )
    std = np.broadcast_to(std.reshape(-1), (n_centers,))
    if not np.all(std >= 0):
        raise ValueError(f"make_blobs: cluster_std must be >= 0, received {cluster_std}")

    y = np.repeat(np.arange(n_centers), _split_evenly(n_samples, n_centers))
    X = centers[y]
    X = X + std[y][:, None] * rng.standard_normal(X.shape)
    if shuffle:
        order = rng.permutation(n_samples)
        X, y = X[order], y[order]
    return X.astype(dtype), y.astype(np.int64)


def make_line(n_samples=100, slope=2.0, intercept=1.0, noise=0.5, random_state=None, *, dtype=None):
    """Points scattered around a straight line, for linear regression: y = m * x + b + noise.

    x is drawn uniformly from [0, 10); the noise is Gaussian with standard deviation ``noise``.

    Args:
        n_samples: number of points.
        slope: m, the slope of the true line.
        intercept: b, where the true line crosses x = 0.
        noise: standard deviation of the Gaussian noise added to y, >= 0.
        random_state: None (glassnet's default generator), an int seed or a Generator.
        dtype: float dtype of ``X`` and ``y``. Defaults to float32.

    Returns:
        (X, y): X of shape (n_samples, 1), y of shape (n_samples,), both float.

    Example:
        >>> X, y = make_line(50, slope=3.0, intercept=-1.0, noise=0.0, random_state=0)
        >>> X.shape, y.shape, bool(np.allclose(y, 3.0 * X[:, 0] - 1.0))
        ((50, 1), (50,), True)
    """
    n_samples = _check_count(n_samples, "n_samples", "make_line")
    noise = _check_non_negative(noise, "noise", "make_line")
    dtype = _float_dtype(dtype, "make_line")
    rng = get_generator(random_state)

    x = rng.uniform(0.0, 10.0, size=n_samples)
    y = slope * x + intercept + noise * rng.standard_normal(n_samples)
    return x[:, None].astype(dtype), y.astype(dtype)


# --------------------------------------------------------------------------------------------
# Real datasets
# --------------------------------------------------------------------------------------------


@dataclass(repr=False)
class DatasetInfo:
    """A dataset with its description, like scikit-learn's ``Bunch``.

    Unpacks like a tuple: ``X, y = load_digits(return_X_y=False)`` works too.

    Attributes:
        data: features, shape (n_samples, n_features).
        target: labels (int64) or regression targets (float), shape (n_samples,).
        feature_names: one name per column of ``data``.
        target_names: the class names (``target_names[y]`` names a label), or None for
            regression data.
        DESCR: a description of the data, its origin and its licence.
        images: for image data (digits), ``data`` as images of shape (n_samples, 8, 8).

    Example:
        >>> info = load_digits(return_X_y=False)
        >>> info
        DatasetInfo(data: (1797, 64) float32, target: (1797,) int64, 10 classes)
        >>> info.images.shape, info.feature_names[:2]
        ((1797, 8, 8), ['pixel_0_0', 'pixel_0_1'])
    """

    data: np.ndarray
    target: np.ndarray
    feature_names: list
    target_names: list | None
    DESCR: str
    images: np.ndarray | None = None

    def __iter__(self):
        return iter((self.data, self.target))

    def __repr__(self) -> str:
        classes = "regression" if self.target_names is None else f"{len(self.target_names)} classes"
        return (
            f"DatasetInfo(data: {self.data.shape} {self.data.dtype}, "
            f"target: {self.target.shape} {self.target.dtype}, {classes})"
        )


_DIGITS_DESCR = """\
Optical recognition of handwritten digits (the scikit-learn "digits" dataset)

1797 images of handwritten digits 0-9, each 8x8 pixels with integer values 0..16
(the count of "on" pixels in a 4x4 block of the original 32x32 bitmap).
data: shape (1797, 64), row-major pixels; target: the digit.

Credit: the UCI Machine Learning Repository's "Optical Recognition of Handwritten Digits"
data set (test set), created by E. Alpaydin and C. Kaynak, Bogazici University, 1998
(https://archive.ics.uci.edu/dataset/80). glassnet ships the copy distributed with
scikit-learn (sklearn/datasets/data/digits.csv.gz), Copyright (c) 2007-2026 The scikit-learn
developers, BSD 3-Clause licence.

References: E. Alpaydin, C. Kaynak (1998) Cascading Classifiers, Kybernetika.
C. Kaynak (1995) Methods of Combining Multiple Classifiers and Their Applications to
Handwritten Digit Recognition, MSc Thesis, Bogazici University.
"""


@functools.lru_cache(maxsize=1)
def _digits_table() -> np.ndarray:
    """The shipped file as a read-only int64 table of shape (1797, 65), label in the last column."""
    with resources.files("glassnet.data").joinpath("digits.csv.gz").open("rb") as raw:
        with gzip.open(raw, "rt") as text:
            table = np.loadtxt(text, delimiter=",", dtype=np.int64, ndmin=2)
    table.setflags(write=False)
    return table


def load_digits(*, n_class=10, return_X_y=True, dtype=None):
    """Load the handwritten digits: 1797 images of 8x8 pixels with values 0..16.

    Shipped with glassnet (no download, no scikit-learn needed); the same numbers as
    ``sklearn.datasets.load_digits``. See ``DatasetInfo.DESCR`` for the credit and licence
    (UCI Optical Recognition of Handwritten Digits, as distributed by scikit-learn, BSD-3).

    Args:
        n_class: keep only the digits 0..n_class-1 (1 to 10).
        return_X_y: return ``(X, y)``; if False, a ``DatasetInfo`` with names, a description
            and the 8x8 images.
        dtype: float dtype of ``X``. Defaults to float32.

    Returns:
        (X, y) with X of shape (n, 64) in 0..16 and y int64 in 0..n_class-1, or a DatasetInfo.

    Example:
        >>> X, y = load_digits()
        >>> X.shape, X.dtype, float(X.max()), y[:10].tolist()
        ((1797, 64), dtype('float32'), 16.0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        >>> load_digits(n_class=2)[0].shape
        (360, 64)
    """
    n_class = _check_count(n_class, "n_class", "load_digits")
    if n_class > 10:
        raise ValueError(f"load_digits: n_class must be between 1 and 10, received {n_class}")
    dtype = _float_dtype(dtype, "load_digits")

    table = _digits_table()
    table = table[table[:, -1] < n_class]
    X = table[:, :-1].astype(dtype)
    y = table[:, -1].astype(np.int64)
    if return_X_y:
        return X, y
    return DatasetInfo(
        data=X,
        target=y,
        feature_names=[f"pixel_{row}_{col}" for row in range(8) for col in range(8)],
        target_names=list(range(n_class)),
        DESCR=_DIGITS_DESCR,
        images=X.reshape(-1, 8, 8),
    )


def _from_sklearn(name: str, return_X_y: bool, dtype, regression: bool = False):
    """Call ``sklearn.datasets.<name>()`` and convert its Bunch to glassnet's conventions."""
    dtype = _float_dtype(dtype, name)
    try:
        from sklearn import datasets as sklearn_datasets
    except ImportError:
        raise ImportError(
            f"{name}() needs scikit-learn: pip install 'glassnet[sklearn]' "
            "(load_digits() works without it)"
        ) from None
    bunch = getattr(sklearn_datasets, name)()
    feature_names = [str(feature) for feature in bunch.feature_names]
    X = np.asarray(bunch.data).astype(dtype)
    y = np.asarray(bunch.target).astype(dtype if regression else np.int64)
    check_finite(X, name, feature_names=feature_names)
    check_finite(y, f"{name} (target)")
    if return_X_y:
        return X, y
    target_names = None if regression else [str(label) for label in bunch.target_names]
    return DatasetInfo(X, y, feature_names, target_names, bunch.DESCR)


def load_iris(*, return_X_y=True, dtype=None):
    """Fisher's iris flowers: 150 rows, 4 measurements (cm), 3 species. Needs scikit-learn.

    Args:
        return_X_y: return ``(X, y)``; if False, a ``DatasetInfo``.
        dtype: float dtype of ``X``. Defaults to float32.

    Returns:
        (X, y) with X of shape (150, 4) and y int64 in {0, 1, 2}, or a DatasetInfo.

    Raises:
        ImportError: scikit-learn is not installed (``pip install 'glassnet[sklearn]'``).

    Example:
        >>> X, y = load_iris()
        >>> X.shape, np.bincount(y).tolist()
        ((150, 4), [50, 50, 50])
    """
    return _from_sklearn("load_iris", return_X_y, dtype)


def load_breast_cancer(*, return_X_y=True, dtype=None):
    """Wisconsin breast cancer: 569 tumours, 30 features, malignant (0) or benign (1).

    Needs scikit-learn.

    Args:
        return_X_y: return ``(X, y)``; if False, a ``DatasetInfo``.
        dtype: float dtype of ``X``. Defaults to float32.

    Returns:
        (X, y) with X of shape (569, 30) and y int64 in {0, 1}, or a DatasetInfo.

    Raises:
        ImportError: scikit-learn is not installed (``pip install 'glassnet[sklearn]'``).

    Example:
        >>> X, y = load_breast_cancer()
        >>> X.shape, np.bincount(y).tolist()
        ((569, 30), [212, 357])
    """
    return _from_sklearn("load_breast_cancer", return_X_y, dtype)


def load_wine(*, return_X_y=True, dtype=None):
    """Wines from three cultivars: 178 rows, 13 chemical measurements. Needs scikit-learn.

    Args:
        return_X_y: return ``(X, y)``; if False, a ``DatasetInfo``.
        dtype: float dtype of ``X``. Defaults to float32.

    Returns:
        (X, y) with X of shape (178, 13) and y int64 in {0, 1, 2}, or a DatasetInfo.

    Raises:
        ImportError: scikit-learn is not installed (``pip install 'glassnet[sklearn]'``).

    Example:
        >>> X, y = load_wine()
        >>> X.shape, np.bincount(y).tolist()
        ((178, 13), [59, 71, 48])
    """
    return _from_sklearn("load_wine", return_X_y, dtype)


def load_diabetes(*, return_X_y=True, dtype=None):
    """Diabetes progression (regression): 442 patients, 10 scaled features. Needs scikit-learn.

    The features are mean-centred and scaled as scikit-learn ships them; the target is a
    disease progression score one year after baseline (25..346).

    Args:
        return_X_y: return ``(X, y)``; if False, a ``DatasetInfo`` (``target_names`` is None).
        dtype: float dtype of ``X`` and ``y``. Defaults to float32.

    Returns:
        (X, y) with X of shape (442, 10) and y float of shape (442,), or a DatasetInfo.

    Raises:
        ImportError: scikit-learn is not installed (``pip install 'glassnet[sklearn]'``).

    Example:
        >>> X, y = load_diabetes()
        >>> X.shape, y.dtype, float(y.min()), float(y.max())
        ((442, 10), dtype('float32'), 25.0, 346.0)
    """
    return _from_sklearn("load_diabetes", return_X_y, dtype, regression=True)

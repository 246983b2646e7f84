"""glassnet.data: built-in datasets, file loaders and the splits that prepare them.

Everything returns NumPy arrays: features float32 (unless another ``dtype`` is asked),
class labels int64. Nothing downloads; ``load_digits`` ships with glassnet.

Example:
    >>> from glassnet.data import load_digits, train_test_split
    >>> X, y = load_digits()
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    >>> X_train.shape, X_test.shape
    ((1437, 64), (360, 64))
"""

from glassnet.data.datasets import (
    DatasetInfo,
    and_gate,
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
    make_blobs,
    make_circles,
    make_line,
    make_moons,
    make_spirals,
    or_gate,
    students,
    xor,
)
from glassnet.data.dataloader import DataLoader, Dataset, TensorDataset
from glassnet.data.loaders import CSVData, DataError, check_finite, load_mnist_idx, read_csv
from glassnet.data.splits import one_hot, standardize, train_test_split

__all__ = [
    "CSVData",
    "DataLoader",
    "DataError",
    "Dataset",
    "DatasetInfo",
    "and_gate",
    "check_finite",
    "load_breast_cancer",
    "load_diabetes",
    "load_digits",
    "load_iris",
    "load_mnist_idx",
    "load_wine",
    "make_blobs",
    "make_circles",
    "make_line",
    "make_moons",
    "make_spirals",
    "one_hot",
    "or_gate",
    "read_csv",
    "standardize",
    "students",
    "TensorDataset",
    "train_test_split",
    "xor",
]

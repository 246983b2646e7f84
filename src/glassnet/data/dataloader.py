"""``TensorDataset`` and ``DataLoader``: mini-batches for the hand-written (PyTorch-style) loop.

An epoch of mini-batch training visits every sample once, in a new random order, a batch
at a time. ``DataLoader`` draws one permutation per epoch and cuts it into slices of
``batch_size`` indices; for a ``TensorDataset`` each batch is then one NumPy fancy-indexing
gather per array (no Python work per sample). Without shuffling, batches are plain views.

Example:
    >>> import numpy as np
    >>> import glassnet as gn
    >>> from glassnet.data.dataloader import DataLoader, TensorDataset
    >>> X = np.arange(10, dtype=np.float32).reshape(5, 2)
    >>> y = np.array([0, 1, 0, 1, 1])
    >>> loader = DataLoader(TensorDataset(X, y), batch_size=2)
    >>> len(loader)
    3
    >>> for xb, yb in loader:
    ...     print(xb.shape, yb.tolist())
    (2, 2) [0, 1]
    (2, 2) [0, 1]
    (1, 2) [1]
"""

from __future__ import annotations

import numpy as np

from glassnet import backend
from glassnet.tensor import Tensor

__all__ = ["Dataset", "TensorDataset", "DataLoader"]


def _as_tensor(values) -> Tensor:
    """Tensors stay as they are; arrays follow ``gn.tensor`` (floats -> default dtype)."""
    if isinstance(values, Tensor):
        return values
    return Tensor(values)


class Dataset:
    """The base class of a dataset you write yourself (PyTorch's ``torch.utils.data.Dataset``).

    Subclass it and define ``__len__`` (the number of samples) and ``__getitem__(i)`` (the
    i-th sample, e.g. a tuple ``(features, label)``); ``DataLoader`` then stacks samples
    into batches.

    Example:
        >>> import numpy as np
        >>> class Squares(Dataset):
        ...     def __len__(self):
        ...         return 4
        ...     def __getitem__(self, i):
        ...         return np.array([float(i)]), i * i
        >>> [y.tolist() for _, y in DataLoader(Squares(), batch_size=2)]
        [[0, 1], [4, 9]]
    """

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__(self, index) "
                                  f"returning one sample, e.g. a tuple (x, y)")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__(self) returning "
                                  f"the number of samples")


class TensorDataset(Dataset):
    """A dataset made of arrays (or tensors) that share their first dimension.

    ``dataset[i]`` is the tuple of the i-th rows; ``dataset.tensors`` holds the whole
    tensors. NumPy float arrays become the default dtype (float32), integer arrays int64,
    as with ``gn.tensor``; Tensors are kept as they are (float64 stays float64).

    Args:
        *tensors: arrays or Tensors, all with the same length (number of samples).

    Raises:
        ValueError: no arrays, a 0-d array, or different lengths (the shapes are named).

    Example:
        >>> import numpy as np
        >>> ds = TensorDataset(np.zeros((3, 2)), np.array([1, 0, 1]))
        >>> len(ds), ds[2][1]
        (3, tensor(1))
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset: give at least one array, e.g. TensorDataset(X, y)")
        self.tensors = tuple(_as_tensor(t) for t in tensors)
        for position, tensor in enumerate(self.tensors):
            if tensor.ndim == 0:
                raise ValueError(f"TensorDataset: array {position} is a scalar; every array "
                                 f"needs one row per sample")
        lengths = {len(t) for t in self.tensors}
        if len(lengths) > 1:
            shapes = ", ".join(str(t.shape) for t in self.tensors)
            raise ValueError(
                f"TensorDataset: all arrays need the same number of samples (first "
                f"dimension), received shapes {shapes}"
            )

    def __len__(self) -> int:
        return len(self.tensors[0])

    def __getitem__(self, index):
        return tuple(Tensor._from_op(np.asarray(t.data[index]), None) for t in self.tensors)

    def batch(self, indices) -> tuple:
        """The rows at ``indices`` (an index array or a slice) of every tensor, as Tensors."""
        return tuple(Tensor._from_op(t.data[indices], None) for t in self.tensors)

    def __repr__(self) -> str:
        shapes = ", ".join(str(t.shape) for t in self.tensors)
        return f"TensorDataset({shapes})"


def _check_batch_size(batch_size) -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"DataLoader: batch_size must be a positive integer, received "
                         f"{batch_size!r}")
    return int(batch_size)


def _stack_field(values: list) -> Tensor:
    """Stack one field of several samples (Tensors, arrays or numbers) into a batch."""
    arrays = [v.data if isinstance(v, Tensor) else np.asarray(v) for v in values]
    stacked = np.stack(arrays)
    if stacked.dtype.kind == "f" and not any(isinstance(v, Tensor) for v in values):
        stacked = stacked.astype(backend.get_default_dtype(), copy=False)
    return Tensor._from_op(stacked, None)


class DataLoader:
    """Iterate over a dataset in mini-batches, optionally reshuffled every epoch.

    Args:
        dataset: a ``TensorDataset`` (fast path: batches gathered with NumPy indexing) or
            any object with ``__len__`` and ``__getitem__`` returning a sample (a tuple of
            arrays/tensors/numbers, or one array); its samples are then stacked.
        batch_size: samples per batch. Defaults to 1 (as PyTorch).
        shuffle: draw a new random order at the start of every epoch.
        drop_last: drop the last batch when it is smaller than ``batch_size``.
        generator: where the random order comes from: a ``numpy.random.Generator``, an int
            seed (one generator made now, so epochs still differ) or None (glassnet's default
            generator at the time each epoch starts, so ``gn.seed(n)`` makes it repeatable).

    Yields:
        A tuple of Tensors per batch (one per dataset array), or a single Tensor for a
        dataset whose samples are single arrays.

    Example:
        >>> import numpy as np
        >>> X = np.arange(6, dtype=np.float32).reshape(6, 1)
        >>> loader = DataLoader(TensorDataset(X), batch_size=4, shuffle=True, generator=0)
        >>> [batch[0].shape for batch in loader]
        [(4, 1), (2, 1)]
        >>> sorted(np.concatenate([b[0].numpy() for b in loader]).ravel().tolist())
        [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    """

    def __init__(self, dataset, batch_size: int = 1, shuffle: bool = False,
                 drop_last: bool = False, generator=None):
        if not (hasattr(dataset, "__len__") and hasattr(dataset, "__getitem__")):
            raise TypeError(f"DataLoader: the dataset must have __len__ and __getitem__ "
                            f"(e.g. a TensorDataset), received {type(dataset).__name__}")
        self.dataset = dataset
        self.batch_size = _check_batch_size(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.generator = None if generator is None else backend.get_generator(generator)

    def __len__(self) -> int:
        n = len(self.dataset)
        if self.drop_last:
            return n // self.batch_size
        return -(-n // self.batch_size)

    def _order(self, n: int):
        if not self.shuffle:
            return None
        rng = self.generator if self.generator is not None else backend.get_generator()
        return rng.permutation(n)

    def __iter__(self):
        n = len(self.dataset)
        order = self._order(n)
        for batch in range(len(self)):
            start = batch * self.batch_size
            stop = min(start + self.batch_size, n)
            indices = slice(start, stop) if order is None else order[start:stop]
            yield self._fetch(indices)

    def _fetch(self, indices):
        if isinstance(self.dataset, TensorDataset):
            return self.dataset.batch(indices)
        if isinstance(indices, slice):
            indices = range(indices.start, indices.stop)
        samples = [self.dataset[int(i)] for i in indices]
        if isinstance(samples[0], tuple):
            return tuple(_stack_field(list(field)) for field in zip(*samples))
        return _stack_field(samples)

    def __repr__(self) -> str:
        return (f"DataLoader({self.dataset!r}, batch_size={self.batch_size}, "
                f"shuffle={self.shuffle}, drop_last={self.drop_last})")

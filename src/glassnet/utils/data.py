"""``torch.utils.data``: ``Dataset``, ``TensorDataset`` and ``DataLoader`` (from glassnet.data).

Example:
    >>> import numpy as np
    >>> from glassnet.utils.data import DataLoader, TensorDataset
    >>> X, y = np.zeros((5, 2), dtype=np.float32), np.arange(5)
    >>> [yb.tolist() for _, yb in DataLoader(TensorDataset(X, y), batch_size=2)]
    [[0, 1], [2, 3], [4]]
"""

from glassnet.data.dataloader import DataLoader, Dataset, TensorDataset

__all__ = ["DataLoader", "Dataset", "TensorDataset"]

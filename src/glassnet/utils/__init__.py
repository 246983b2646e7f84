"""``torch.utils`` for PyTorch code: ``glassnet.utils.data`` holds the data loading names.

``import glassnet as torch`` then ``torch.utils.data.DataLoader`` (or ``from
glassnet.utils.data import DataLoader, TensorDataset, Dataset``) are glassnet's own
classes from ``glassnet.data``.

Example:
    >>> import glassnet as torch
    >>> torch.utils.data.DataLoader is torch.data.DataLoader
    True
"""

from glassnet.utils import data

__all__ = ["data"]

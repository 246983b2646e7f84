"""Helpers used with modules: gradient clipping (PyTorch's ``nn.utils``).

``clip_grad_norm_`` and ``clip_grad_value_`` live in ``glassnet.optim.clip`` (next to the
optimizers that use them) and are re-exported here, so PyTorch code such as
``nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)`` runs unchanged.

Example:
    >>> import numpy as np
    >>> from glassnet import nn
    >>> layer = nn.Linear(2, 1)
    >>> layer.weight.grad, layer.bias.grad = np.full((2, 1), 3.0), np.array([4.0])
    >>> _ = nn.utils.clip_grad_value_(layer.parameters(), 1.0)
    >>> layer.weight.grad.ravel().tolist(), layer.bias.grad.tolist()
    ([1.0, 1.0], [1.0])
"""

from glassnet.optim.clip import clip_grad_norm_, clip_grad_value_

__all__ = ["clip_grad_norm_", "clip_grad_value_"]

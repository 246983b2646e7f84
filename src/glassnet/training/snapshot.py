"""The weights and optimizer state at the end of the last good epoch (for ``Model.fit``).

If the loss becomes NaN or infinite, ``fit`` restores this copy, so a diverged run leaves
the model as it was after its last good epoch instead of full of NaNs.
"""

from __future__ import annotations

import copy

import numpy as np

from glassnet.nn.module import Module


_IMMUTABLE = (int, float, bool, str, bytes, type(None))


class Snapshot:
    """The weights, buffers and optimizer state at the end of the last good epoch.

    ``take()`` copies them into arrays it keeps and reuses (one ``np.copyto`` per array, no
    allocation after the first epoch: cheap even when an epoch is a single batch);
    ``restore()`` (only after a divergence) loads them back through ``load_state_dict``.

    Example:
        >>> import numpy as np
        >>> from glassnet import nn, optim
        >>> layer = nn.Linear(2, 1, rng=0)
        >>> snapshot = Snapshot(layer, optim.SGD(layer.parameters(), lr=0.1))
        >>> snapshot.take()
        >>> good = layer.weight.data.copy()
        >>> layer.weight.data[...] = np.nan                 # the run diverged
        >>> snapshot.restore()
        >>> bool(np.array_equal(layer.weight.data, good))
        True
    """

    def __init__(self, module: Module, optimizer):
        self.module = module
        self.optimizer = optimizer
        self.weights = {}
        self.state = {}
        self.groups = []
        # what to copy, looked up once per fit (walking the module tree costs more than
        # copying a small model's weights); buffers are updated in place while training
        self._parameters = list(module.named_parameters())
        self._buffers = list(module.named_buffers())
        self._optimized = [p for group in optimizer.param_groups for p in group["params"]]

    @staticmethod
    def _copy(value, old):
        """A copy of ``value``, written into ``old`` (last epoch's copy) when it fits."""
        if not isinstance(value, np.ndarray):
            return value if isinstance(value, _IMMUTABLE) else copy.deepcopy(value)
        if isinstance(old, np.ndarray) and old.shape == value.shape and old.dtype == value.dtype:
            np.copyto(old, value)  # no allocation after the first epoch
            return old
        return value.copy()

    def take(self) -> None:
        """Copy the current weights, buffers and optimizer state (end of a good epoch)."""
        copy_, weights, old_state = self._copy, self.weights, self.state
        for name, param in self._parameters:
            weights[name] = copy_(param.data, weights.get(name))
        for name, buffer in self._buffers:
            weights[name] = copy_(buffer, weights.get(name))
        live = getattr(self.optimizer, "state", {})
        self.state = {(index, key): copy_(value, old_state.get((index, key)))
                      for index, param in enumerate(self._optimized)
                      for key, value in live.get(param, {}).items()}
        self.groups = [{k: v for k, v in group.items() if k not in ("params", "param_names")}
                       for group in self.optimizer.param_groups]

    def restore(self) -> None:
        """Load the last copy back into the module and the optimizer."""
        self.module.load_state_dict(self.weights, strict=False)
        if not hasattr(self.optimizer, "load_state_dict"):
            return
        state, start, groups = {}, 0, []
        for (index, key), value in self.state.items():
            state.setdefault(index, {})[key] = value
        for group, options in zip(self.optimizer.param_groups, self.groups):
            groups.append({**options, "params": list(range(start, start + len(group["params"])))})
            start += len(group["params"])
        self.optimizer.load_state_dict({"state": state, "param_groups": groups})

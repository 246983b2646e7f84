"""Registry entries (``OP_INFOS``) for the ops written for ``glassnet.nn``: batch norm.

Wired into the op registry by ``glassnet.ops.samples``, like every other op: the gradient
test checks the backward against finite differences and torch, in training mode (the
gradient flows through the batch statistics) and in evaluation mode (running statistics).
"""

from __future__ import annotations

import numpy as np

from glassnet.ops import normalization
from glassnet.ops.opinfo import ErrorInput, OpInfo, Sample


def _batch_norm(x, weight=None, bias=None, **kwargs):
    return normalization.batch_norm(x, weight=weight, bias=bias, **kwargs)


def _batch_norm_samples(rng):
    x2 = rng.uniform(-2, 2, size=(5, 3))
    x3 = rng.uniform(-2, 2, size=(4, 3, 2))
    gamma = rng.uniform(0.5, 1.5, size=3)
    beta = rng.uniform(-1, 1, size=3)
    running = {"running_mean": rng.uniform(-1, 1, size=3),
               "running_var": rng.uniform(0.5, 2, size=3)}
    return [
        Sample((x2, gamma, beta), {"training": True}),
        Sample((x3, gamma, beta), {"training": True}),                 # (N, C, L)
        Sample((x2,), {"training": True}),                             # no affine
        Sample((x2 * 100, gamma, beta), {"training": True, "eps": 1e-3}),  # large values
        Sample((x2, gamma, beta), {"training": False, **running}),     # evaluation
        Sample((x3, gamma, beta), {"training": False, **running}),
    ]


def _torch_batch_norm(torch, x, weight=None, bias=None, running_mean=None, running_var=None,
                      training=False, eps=1e-5):
    if running_mean is not None:  # torch updates them in place: give it copies
        running_mean = torch.tensor(running_mean.copy())
        running_var = torch.tensor(running_var.copy())
    return torch.nn.functional.batch_norm(x, running_mean, running_var, weight, bias,
                                          training=training, eps=eps)


OP_INFOS = [
    OpInfo(normalization.BatchNorm, _batch_norm, _batch_norm_samples, _torch_batch_norm,
           [ErrorInput((np.ones(4),), {"training": True}, ValueError,
                       r"expected input of shape \(N, C\) or \(N, C, L\), received shape "
                       r"\(4,\)"),
            ErrorInput((np.ones((1, 3)),), {"training": True}, ValueError,
                       r"more than 1 value per channel.*\(1, 3\)")]),
]

"""The text of ``model.summary()``: one row per layer, then the parameter totals.

Keras's layout: layer name (type), output shape with ``None`` for the batch, and the
number of weights; "non-trainable" counts frozen parameters and running statistics
(e.g. a batch norm's running mean and variance).

Example:
    >>> from glassnet import nn
    >>> layer = nn.Linear(3, 2)
    >>> parameter_counts(layer)        # 3 x 2 weights + 2 biases, none frozen
    (8, 0)
"""

from __future__ import annotations

import numpy as np

from glassnet.nn.module import Module


def summary_table(module: Module, shapes: dict, line_length: int = 72) -> list:
    """The lines of the summary table of ``module``.

    Args:
        module: the model's module; its direct children are the rows (itself if none).
        shapes: ``id(child) -> output shape`` (batch first), as measured by a probe pass.
        line_length: total width of the table.

    Example:
        >>> from glassnet import nn
        >>> model = nn.Sequential(nn.Linear(3, 2), nn.ReLU())
        >>> model.name, model[0].name, model[1].name = "tiny", "hidden", "relu"
        >>> shapes = {id(model[0]): (4, 2), id(model[1]): (4, 2)}
        >>> for line in summary_table(model, shapes, line_length=50):
        ...     print(line)
        Model: "tiny"
        __________________________________________________
        Layer (type)          Output Shape         Param #
        ==================================================
        hidden (Linear)       (None, 2)                  8
        relu (ReLU)           (None, 2)                  0
        ==================================================
        Total params: 8
        Trainable params: 8
        Non-trainable params: 0
        __________________________________________________
    """
    widths = (line_length * 45 // 100, line_length * 43 // 100)
    param_width = line_length - widths[0] - widths[1]
    rows = []
    trainable = frozen = 0
    for child in list(module.children()) or [module]:
        count, fixed = parameter_counts(child)
        trainable += count - fixed
        frozen += fixed
        shape = shapes.get(id(child))
        shape_text = "?" if shape is None else str((None, *shape[1:]))
        name = f"{getattr(child, 'name', '')} ({type(child).__name__})"
        rows.append(f"{name:<{widths[0]}}{shape_text:<{widths[1]}}{count:>{param_width}}")
    return [f'Model: "{getattr(module, "name", type(module).__name__)}"',
            "_" * line_length,
            f"{'Layer (type)':<{widths[0]}}{'Output Shape':<{widths[1]}}{'Param #':>{param_width}}",
            "=" * line_length, *rows, "=" * line_length,
            f"Total params: {trainable + frozen:,}",
            f"Trainable params: {trainable:,}",
            f"Non-trainable params: {frozen:,}",
            "_" * line_length]


def parameter_counts(module: Module) -> tuple:
    """(all weights, non-trainable ones): parameters plus float buffers (running stats).

    Example:
        >>> from glassnet import nn
        >>> parameter_counts(nn.BatchNorm1d(3))   # gamma, beta + running mean, var (frozen)
        (12, 6)
    """
    total = frozen = 0
    for param in module.parameters():
        total += param.numel()
        frozen += 0 if param.requires_grad else param.numel()
    for buffer in module.buffers():
        values = np.asarray(buffer)
        if values.dtype.kind == "f":
            total += values.size
            frozen += values.size
    return total, frozen

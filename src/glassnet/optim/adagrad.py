"""Adagrad: per-weight learning rates from the sum of all past squared gradients."""

from __future__ import annotations

import numpy as np

from glassnet.optim.optimizer import Optimizer, add_scaled_, keras_alias

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """Adagrad: each weight's step shrinks with the sum of its squared gradients so far.

    Update rule for each weight ``w`` with gradient ``g`` at step ``t`` = 1, 2, ...::

        g = g + weight_decay * w                      # if weight_decay > 0 (L2 penalty)
        clr = lr / (1 + (t - 1) * lr_decay)
        sum = sum + g * g                             # starts at initial_accumulator_value
        w = w - clr * g / (sqrt(sum) + eps)

    Rarely updated weights (e.g. of rare features) keep larger steps than frequent ones.
    Reference: Duchi, Hazan & Singer, "Adaptive Subgradient Methods for Online Learning
    and Stochastic Optimization", JMLR 12 (2011).

    Args:
        params: the tensors to optimize, or parameter groups (see ``Optimizer``).
        lr: learning rate, > 0. Defaults to 1e-2. Keras name: ``learning_rate``.
        lr_decay: learning rate decay per step, >= 0. Defaults to 0.
        weight_decay: L2 penalty factor, >= 0. Defaults to 0.
        initial_accumulator_value: starting value of ``sum``, >= 0. Defaults to 0.
        eps: added to the denominator for numerical stability, >= 0. Defaults to 1e-10.
            Keras name: ``epsilon``.
        maximize: climb the objective instead of descending it.
        learning_rate, epsilon: Keras spellings (give one spelling per option).

    The defaults are PyTorch's (Keras's Adagrad starts the accumulator at 0.1).

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> w = gn.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.Adagrad([w], lr=0.1)
        >>> (w * w).sum().backward()          # g = [2, -4], sum = [4, 16]
        >>> opt.step()                        # w = w - 0.1 * g / sqrt(sum) = w -+ 0.1
        >>> w.data.round(4)
        array([ 0.9, -1.9], dtype=float32)
    """

    elementwise = True

    def __init__(self, params=None, lr: float | None = None, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                 eps: float | None = None, *, maximize: bool = False,
                 learning_rate: float | None = None, epsilon: float | None = None):
        defaults = {
            "lr": keras_alias("Adagrad", "lr", lr, "learning_rate", learning_rate, 1e-2),
            "lr_decay": lr_decay, "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "eps": keras_alias("Adagrad", "eps", eps, "epsilon", epsilon, 1e-10),
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def check_hyperparameters(self, group: dict) -> None:
        super().check_hyperparameters(group)
        self._require(group, "lr_decay", lambda d: d >= 0, "Invalid lr_decay value",
                      "lr_decay >= 0")
        self._require(group, "initial_accumulator_value", lambda v: v >= 0,
                      "Invalid initial_accumulator_value value", "initial_accumulator_value >= 0")

    def init_state(self, param, group) -> dict:
        return {"step": 0, "sum": np.full_like(param, group["initial_accumulator_value"])}

    def update_step(self, param, grad, state, group) -> None:
        work = self._workspace(param)
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param  # L2 penalty: d/dw (wd/2 * w^2)
        clr = float(group["lr"]) / (1 + (state["step"] - 1) * float(group["lr_decay"]))
        # sum = sum + g * g
        np.multiply(grad, grad, out=work)
        state["sum"] += work
        # w = w - clr * g / (sqrt(sum) + eps)
        np.sqrt(state["sum"], out=work)
        work += group["eps"]
        np.divide(grad, work, out=work)
        add_scaled_(param, -clr, work, work)

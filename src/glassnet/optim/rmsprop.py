"""RMSprop: divide the step by a running root mean square of recent gradients."""

from __future__ import annotations

import numpy as np

from glassnet.optim.optimizer import Optimizer, add_scaled_, keras_alias

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop: each weight's step is scaled by the root mean square of its recent gradients.

    Update rule for each weight ``w`` with gradient ``g`` (PyTorch's formulation)::

        g = g + weight_decay * w                      # if weight_decay > 0 (L2 penalty)
        square_avg = alpha * square_avg + (1 - alpha) * g * g
        if centered:                                  # divide by the standard deviation
            grad_avg = alpha * grad_avg + (1 - alpha) * g
            avg = sqrt(square_avg - grad_avg * grad_avg) + eps
        else:
            avg = sqrt(square_avg) + eps
        if momentum > 0:
            buf = momentum * buf + g / avg
            w = w - lr * buf
        else:
            w = w - lr * g / avg

    Weights with large gradients take small steps and the other way round. Proposed by
    Hinton, "Neural Networks for Machine Learning", lecture 6e (Coursera, 2012); the
    centered form is from Graves, "Generating Sequences With Recurrent Neural Networks"
    (2013).

    Args:
        params: the tensors to optimize, or parameter groups (see ``Optimizer``).
        lr: learning rate, > 0. Defaults to 1e-2. Keras name: ``learning_rate``.
        alpha: smoothing constant of the running averages, in [0, 1]. Defaults to 0.99.
            Keras name: ``rho``.
        eps: added to the denominator for numerical stability, >= 0. Defaults to 1e-8.
            Keras name: ``epsilon``.
        weight_decay: L2 penalty factor, >= 0. Defaults to 0.
        momentum: momentum factor, >= 0. Defaults to 0.
        centered: normalise by the estimated variance of the gradient instead of its
            second moment.
        maximize: climb the objective instead of descending it.
        learning_rate, rho, epsilon: Keras spellings (give one spelling per option).

    The defaults and the maths are PyTorch's; Keras's RMSprop defaults to ``rho=0.9`` and
    adds its ``epsilon`` inside the square root.

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> w = gn.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.RMSprop([w], lr=0.01)
        >>> (w * w).sum().backward()          # g = [2, -4]
        >>> opt.step()                        # square_avg = 0.01 * g^2 = [0.04, 0.16]
        >>> w.data.round(4)                   # w = w - 0.01 * g / sqrt(square_avg) = w -+ 0.1
        array([ 0.9, -1.9], dtype=float32)
    """

    elementwise = True

    def __init__(self, params=None, lr: float | None = None, alpha: float | None = None,
                 eps: float | None = None, weight_decay: float = 0.0, momentum: float = 0.0,
                 centered: bool = False, *, maximize: bool = False,
                 learning_rate: float | None = None, rho: float | None = None,
                 epsilon: float | None = None):
        defaults = {
            "lr": keras_alias("RMSprop", "lr", lr, "learning_rate", learning_rate, 1e-2),
            "alpha": keras_alias("RMSprop", "alpha", alpha, "rho", rho, 0.99),
            "eps": keras_alias("RMSprop", "eps", eps, "epsilon", epsilon, 1e-8),
            "weight_decay": weight_decay, "momentum": momentum, "centered": centered,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def check_hyperparameters(self, group: dict) -> None:
        super().check_hyperparameters(group)
        self._require(group, "alpha", lambda a: 0 <= a <= 1, "Invalid alpha value",
                      "0 <= alpha <= 1")
        self._require(group, "momentum", lambda m: m >= 0, "Invalid momentum value",
                      "momentum >= 0")

    def init_state(self, param, group) -> dict:
        state = {"step": 0, "square_avg": np.zeros_like(param)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = np.zeros_like(param)
        if group["centered"]:
            state["grad_avg"] = np.zeros_like(param)
        return state

    def update_step(self, param, grad, state, group) -> None:
        lr, alpha = float(group["lr"]), float(group["alpha"])
        work = self._workspace(param)
        state["step"] += 1
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param  # L2 penalty: d/dw (wd/2 * w^2)
        # square_avg = alpha * square_avg + (1 - alpha) * g * g
        square_avg = state["square_avg"]
        square_avg *= alpha
        np.multiply(grad, grad, out=work)
        add_scaled_(square_avg, 1 - alpha, work, work)
        if group["centered"]:
            # grad_avg = alpha * grad_avg + (1 - alpha) * g
            grad_avg = state["grad_avg"]
            grad_avg *= alpha
            add_scaled_(grad_avg, 1 - alpha, grad, work)
            # avg = sqrt(square_avg - grad_avg^2), clipped at 0 where rounding dips below it
            np.multiply(grad_avg, grad_avg, out=work)
            np.subtract(square_avg, work, out=work)
            np.maximum(work, 0, out=work)
            np.sqrt(work, out=work)
        else:
            np.sqrt(square_avg, out=work)  # avg = sqrt(square_avg)
        work += group["eps"]
        np.divide(grad, work, out=work)  # work = g / avg
        if group["momentum"] > 0:
            # buf = momentum * buf + g / avg;  w = w - lr * buf
            buf = state["momentum_buffer"]
            buf *= float(group["momentum"])
            buf += work
            add_scaled_(param, -lr, buf, work)
        else:
            add_scaled_(param, -lr, work, work)  # w = w - lr * g / avg

"""Stochastic gradient descent, with momentum and Nesterov momentum."""

from __future__ import annotations

import numpy as np

from glassnet.optim.optimizer import Optimizer, add_scaled_, keras_alias

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent: step against the gradient, optionally with momentum.

    Update rule for each weight ``w`` with gradient ``g`` (PyTorch's formulation)::

        g = g + weight_decay * w                  # if weight_decay > 0 (L2 penalty)
        if momentum > 0:
            v = g                                 # on the first step
            v = momentum * v + (1 - dampening) * g    # on later steps
            g = g + momentum * v if nesterov else v
        w = w - lr * g

    Momentum (Polyak, 1964) keeps a running velocity ``v`` so that steps build up along
    directions the gradient keeps pointing to and cancel where it oscillates. Nesterov
    momentum (Sutskever et al., "On the importance of initialization and momentum in deep
    learning", ICML 2013) looks one step ahead along the velocity.

    Args:
        params: the tensors to optimize, or parameter groups (see ``Optimizer``).
        lr: learning rate, > 0. Defaults to 1e-3 (PyTorch 2's default). Keras name:
            ``learning_rate``.
        momentum: momentum factor, >= 0. Defaults to 0 (plain SGD).
        dampening: how much of the new gradient is left out of the velocity, in [0, 1].
            Defaults to 0.
        weight_decay: L2 penalty factor, >= 0. Defaults to 0.
        nesterov: use Nesterov momentum (needs momentum > 0 and dampening 0).
        maximize: climb the objective instead of descending it.
        learning_rate: Keras spelling of ``lr`` (give one of them).

    Keras's ``SGD(momentum=m)`` (``v = m * v - lr * g; w = w + v``) takes the same steps as
    this one while the learning rate stays constant.

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> w = gn.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.SGD([w], lr=0.1, momentum=0.9)
        >>> for _ in range(2):
        ...     opt.zero_grad()
        ...     (w * w).sum().backward()      # g = 2w
        ...     opt.step()
        >>> # step 1: g = [2, -4],      v = g = [2, -4],                     w = [0.8, -1.6]
        >>> # step 2: g = [1.6, -3.2],  v = 0.9 * [2, -4] + g = [3.4, -6.8],  w -= 0.1 * v
        >>> w.data
        array([ 0.46, -0.92], dtype=float32)
    """

    elementwise = True

    def __init__(self, params=None, lr: float | None = None, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False, *,
                 maximize: bool = False, learning_rate: float | None = None):
        lr = keras_alias("SGD", "lr", lr, "learning_rate", learning_rate, 1e-3)
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize}
        super().__init__(params, defaults)

    def check_hyperparameters(self, group: dict) -> None:
        super().check_hyperparameters(group)
        self._require(group, "momentum", lambda m: m >= 0, "Invalid momentum value",
                      "momentum >= 0")
        self._require(group, "dampening", lambda d: 0 <= d <= 1, "Invalid dampening value",
                      "0 <= dampening <= 1")
        if group.get("nesterov") and (group.get("momentum", 0) <= 0 or group.get("dampening")):
            raise ValueError(
                f"SGD: Nesterov momentum requires a momentum and zero dampening (received "
                f"momentum={group.get('momentum')}, dampening={group.get('dampening')})"
            )

    def update_step(self, param, grad, state, group) -> None:
        lr, momentum = float(group["lr"]), float(group["momentum"])
        work = self._workspace(param)
        if group["weight_decay"]:
            grad = grad + group["weight_decay"] * param  # L2 penalty: d/dw (wd/2 * w^2)
        if momentum:
            velocity = state.get("momentum_buffer")
            if velocity is None:
                state["momentum_buffer"] = grad.copy()  # v = g on the first step
                velocity = state["momentum_buffer"]
            else:
                # v = momentum * v + (1 - dampening) * g
                velocity *= momentum
                add_scaled_(velocity, 1 - float(group["dampening"]), grad, work)
            if group["nesterov"]:
                # g = g + momentum * v
                np.multiply(velocity, momentum, out=work)
                grad = np.add(work, grad, out=work)
            else:
                grad = velocity
        # w = w - lr * g
        add_scaled_(param, -lr, grad, work)

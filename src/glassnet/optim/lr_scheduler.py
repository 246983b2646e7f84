"""Learning-rate schedules: change ``group["lr"]`` of an optimizer as training goes on.

Call ``scheduler.step()`` once per epoch, after the epoch's ``optimizer.step()`` calls
(``ReduceLROnPlateau.step(val_loss)`` takes the monitored number). This follows PyTorch's
``torch.optim.lr_scheduler``: creating a scheduler records each group's starting rate as
``group["initial_lr"]`` and counts epochs in ``last_epoch`` (0 after creation).

Example:
    >>> import glassnet as gn
    >>> from glassnet import optim
    >>> opt = optim.SGD([gn.zeros(1, requires_grad=True)], lr=0.1)
    >>> scheduler = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> rates = []
    >>> for epoch in range(5):
    ...     rates.append(scheduler.get_last_lr()[0])   # train one epoch with this rate
    ...     scheduler.step()
    >>> rates
    [0.1, 0.1, 0.05, 0.05, 0.025]
"""

from __future__ import annotations

import math

from glassnet.optim.optimizer import Optimizer

__all__ = ["LRScheduler", "StepLR", "ExponentialLR", "CosineAnnealingLR", "LambdaLR",
           "ReduceLROnPlateau"]


class LRScheduler:
    """Base class of the epoch-based schedules: subclasses define ``get_lr()``.

    Args:
        optimizer: the optimizer whose learning rates are scheduled.
        last_epoch: the index of the last epoch, to resume a schedule; -1 (default) starts
            it (each group's ``initial_lr`` is then its current ``lr``).

    Attributes:
        base_lrs: each group's ``initial_lr``.
        last_epoch: epochs counted so far (0 right after creation).

    Example:
        A schedule that halves the rate every epoch, ``lr_t = lr_0 * 0.5^t``:

        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> class Halving(LRScheduler):
        ...     def get_lr(self):
        ...         return [base * 0.5 ** self.last_epoch for base in self.base_lrs]
        >>> scheduler = Halving(optim.SGD([gn.zeros(1, requires_grad=True)], lr=0.1))
        >>> rates = []
        >>> for epoch in range(3):
        ...     rates.append(scheduler.get_last_lr()[0])
        ...     scheduler.step()
        >>> rates
        [0.1, 0.05, 0.025]
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__}: expected a glassnet optimizer, received "
                f"{type(optimizer).__name__}"
            )
        if not optimizer.param_groups:
            raise ValueError(
                f"{type(self).__name__}: the optimizer has no parameters yet; create the "
                f"scheduler once it has them"
            )
        self.optimizer = optimizer
        for i, group in enumerate(optimizer.param_groups):
            if last_epoch == -1:
                group.setdefault("initial_lr", group["lr"])
            elif "initial_lr" not in group:
                raise KeyError(
                    f"param 'initial_lr' is not specified in param_groups[{i}] when resuming a "
                    f"scheduler with last_epoch={last_epoch}; load the optimizer's state_dict "
                    f"first"
                )
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self.step()  # epoch 0: sets the starting rates

    def get_lr(self) -> list:
        """The learning rate of each group for epoch ``last_epoch``."""
        raise NotImplementedError(f"{type(self).__name__} must define get_lr()")

    def step(self) -> None:
        """Move to the next epoch and set each group's ``lr``."""
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list:
        """The learning rates the last ``step()`` set (one per group)."""
        return list(self._last_lr)

    def state_dict(self) -> dict:
        """Everything but the optimizer (save the optimizer's state_dict alongside)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from what ``state_dict()`` returned (load the optimizer's state too)."""
        self.__dict__.update(state_dict)

    def _current_lrs(self) -> list:
        return [group["lr"] for group in self.optimizer.param_groups]


def _check(where: str, name: str, value, is_valid, expected: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not is_valid(value):
        raise ValueError(f"{where}: expected {expected}, received {name}={value!r}")


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    ``lr = initial_lr * gamma ** (epoch // step_size)`` (applied step by step, so it
    combines with other changes to ``lr``).

    Args:
        optimizer: the optimizer to schedule.
        step_size: epochs between decays, a positive integer.
        gamma: the decay factor, > 0. Defaults to 0.1.
        last_epoch: see ``LRScheduler``.

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> opt = optim.SGD([gn.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.1)
        >>> rates = []
        >>> for epoch in range(7):
        ...     rates.append(round(opt.lr, 6))      # the rate this epoch trains with
        ...     scheduler.step()
        >>> rates
        [1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.01]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1):
        _check("StepLR", "step_size", step_size, lambda s: isinstance(s, int) and s > 0,
               "a positive integer step_size")
        _check("StepLR", "gamma", gamma, lambda g: g > 0, "gamma > 0")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch: ``lr = initial_lr * gamma ** epoch``.

    Args:
        optimizer: the optimizer to schedule.
        gamma: the decay factor per epoch, > 0.
        last_epoch: see ``LRScheduler``.

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> opt = optim.SGD([gn.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
        >>> scheduler.step(); scheduler.step()
        >>> scheduler.get_last_lr()
        [0.25]
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1):
        _check("ExponentialLR", "gamma", gamma, lambda g: g > 0, "gamma > 0")
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        if self.last_epoch == 0:
            return self._current_lrs()
        return [lr * self.gamma for lr in self._current_lrs()]


class CosineAnnealingLR(LRScheduler):
    """Follow half a cosine from the initial rate down to ``eta_min`` over ``T_max`` epochs.

    ``lr = eta_min + (initial_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2``

    After ``T_max`` epochs the cosine goes on, so the rate climbs back (as in PyTorch).
    Reference: Loshchilov & Hutter, "SGDR: Stochastic Gradient Descent with Warm
    Restarts", ICLR 2017 (this is the schedule without the restarts).

    Args:
        optimizer: the optimizer to schedule.
        T_max: the number of epochs of the descent, a positive integer.
        eta_min: the lowest learning rate, >= 0. Defaults to 0.
        last_epoch: see ``LRScheduler``.

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> opt = optim.SGD([gn.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
        >>> rates = []
        >>> for epoch in range(5):
        ...     rates.append(round(scheduler.get_last_lr()[0], 4))
        ...     scheduler.step()
        >>> rates
        [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0,  # noqa: N803
                 last_epoch: int = -1):
        _check("CosineAnnealingLR", "T_max", T_max, lambda t: isinstance(t, int) and t > 0,
               "a positive integer T_max")
        _check("CosineAnnealingLR", "eta_min", eta_min, lambda e: e >= 0, "eta_min >= 0")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        cosine = (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
        return [self.eta_min + (base - self.eta_min) * cosine for base in self.base_lrs]


class LambdaLR(LRScheduler):
    """Set ``lr = initial_lr * lr_lambda(epoch)`` with your own function (e.g. a warm-up).

    Args:
        optimizer: the optimizer to schedule.
        lr_lambda: a function of the epoch index giving the factor, or a list with one
            function per parameter group.
        last_epoch: see ``LRScheduler``.

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> opt = optim.SGD([gn.zeros(1, requires_grad=True)], lr=0.1)
        >>> warmup = optim.lr_scheduler.LambdaLR(opt, lambda epoch: min(1.0, (epoch + 1) / 4))
        >>> rates = []
        >>> for epoch in range(5):
        ...     rates.append(round(opt.lr, 4))
        ...     warmup.step()
        >>> rates
        [0.025, 0.05, 0.075, 0.1, 0.1]
    """

    def __init__(self, optimizer: Optimizer, lr_lambda, last_epoch: int = -1):
        groups = getattr(optimizer, "param_groups", [])
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != len(groups):
                raise ValueError(
                    f"LambdaLR: expected {len(groups)} lr_lambdas (one per parameter group), "
                    f"but got {len(lr_lambda)}"
                )
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * len(groups)
        for fn in self.lr_lambdas:
            if not callable(fn):
                raise TypeError(f"LambdaLR: lr_lambda must be callable, received {fn!r}")
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list:
        return [base * fn(self.last_epoch) for base, fn in zip(self.base_lrs, self.lr_lambdas)]

    def state_dict(self) -> dict:
        """Everything but the optimizer and the functions (they are code, not data)."""
        state = super().state_dict()
        del state["lr_lambdas"]
        return state


class ReduceLROnPlateau(LRScheduler):
    """Multiply the learning rate by ``factor`` when a metric stops improving.

    Call ``step(metric)`` once per epoch with e.g. the validation loss. A value counts as
    an improvement when it beats the best so far by more than ``threshold``::

        mode="min", threshold_mode="rel":  metric < best * (1 - threshold)
        mode="min", threshold_mode="abs":  metric < best - threshold
        mode="max":                         metric > best * (1 + threshold)  or  > best + threshold

    After more than ``patience`` epochs without improvement, ``lr = max(lr * factor,
    min_lr)`` and the next ``cooldown`` epochs are not counted.

    Args:
        optimizer: the optimizer to schedule.
        mode: "min" (a loss) or "max" (an accuracy). Defaults to "min".
        factor: the reduction factor, in (0, 1). Defaults to 0.1.
        patience: epochs without improvement tolerated, >= 0. Defaults to 10.
        threshold: the smallest change that counts as an improvement, >= 0. Defaults to 1e-4.
        threshold_mode: "rel" (relative to best) or "abs". Defaults to "rel".
        cooldown: epochs to wait after a reduction before counting again. Defaults to 0.
        min_lr: the lowest learning rate, a number or one per group. Defaults to 0.
        eps: reductions smaller than this are skipped. Defaults to 1e-8.

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> opt = optim.SGD([gn.zeros(1, requires_grad=True)], lr=1.0)
        >>> scheduler = optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=1)
        >>> rates = []
        >>> for val_loss in [1.0, 0.9, 0.9, 0.9, 0.9, 0.9]:
        ...     scheduler.step(val_loss)
        ...     rates.append(opt.lr)
        >>> rates                       # 0.9 twice without improving (> patience): halve
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, mode: str = "min", factor: float = 0.1,
                 patience: int = 10, threshold: float = 1e-4, threshold_mode: str = "rel",
                 cooldown: int = 0, min_lr=0.0, eps: float = 1e-8):
        where = "ReduceLROnPlateau"
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{where}: expected a glassnet optimizer, received "
                            f"{type(optimizer).__name__}")
        if mode not in ("min", "max"):
            raise ValueError(f"{where}: mode must be 'min' or 'max', received {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(
                f"{where}: threshold_mode must be 'rel' or 'abs', received {threshold_mode!r}"
            )
        _check(where, "factor", factor, lambda f: 0 < f < 1, "0 < factor < 1")
        _check(where, "patience", patience, lambda p: isinstance(p, int) and p >= 0,
               "an integer patience >= 0")
        _check(where, "cooldown", cooldown, lambda c: isinstance(c, int) and c >= 0,
               "an integer cooldown >= 0")
        _check(where, "threshold", threshold, lambda t: t >= 0, "threshold >= 0")
        groups = optimizer.param_groups
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != len(groups):
                raise ValueError(
                    f"{where}: expected {len(groups)} min_lrs (one per parameter group), got "
                    f"{len(min_lr)}"
                )
            self.min_lrs = list(min_lr)
        else:
            self.min_lrs = [min_lr] * len(groups)
        self.optimizer = optimizer
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode = threshold, threshold_mode
        self.cooldown, self.eps = cooldown, eps
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self.last_epoch = 0
        self._last_lr = self._current_lrs()

    def step(self, metrics) -> None:  # type: ignore[override]
        """Record this epoch's metric (a number or one-element tensor); reduce lr if stuck."""
        current = float(metrics.item() if hasattr(metrics, "item") else metrics)
        self.last_epoch += 1
        if self._is_better(current):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in the cooldown do not count
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._current_lrs()

    def _is_better(self, current: float) -> bool:
        if self.mode == "min" and self.threshold_mode == "rel":
            return current < self.best * (1 - self.threshold)
        if self.mode == "min":
            return current < self.best - self.threshold
        if self.threshold_mode == "rel":
            return current > self.best * (1 + self.threshold)
        return current > self.best + self.threshold

    def _reduce_lr(self) -> None:
        for group, min_lr in zip(self.optimizer.param_groups, self.min_lrs):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, min_lr)
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr

"""Adam and AdamW: momentum plus per-weight step sizes, with bias-corrected running averages."""

from __future__ import annotations

import math

import numpy as np

from glassnet.optim.optimizer import Optimizer, add_scaled_, keras_alias

__all__ = ["Adam", "AdamW"]


class Adam(Optimizer):
    """Adam: steps along a running mean of the gradient, scaled per weight by its running RMS.

    Update rule for each weight ``w`` with gradient ``g`` at step ``t`` = 1, 2, ...::

        g = g + weight_decay * w                      # if weight_decay > 0 (L2 penalty)
        m = beta_1 * m + (1 - beta_1) * g             # running mean of the gradient
        v = beta_2 * v + (1 - beta_2) * g * g         # running mean of its square
        m_hat = m / (1 - beta_1 ** t)                 # bias corrections: m and v start at 0
        v_hat = v / (1 - beta_2 ** t)                 # (amsgrad: max of all v so far, corrected)
        w = w - lr * m_hat / (sqrt(v_hat) + eps)

    Reference: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015.
    ``amsgrad=True`` divides by the largest ``v`` seen so far instead (Reddi, Kale & Kumar,
    "On the Convergence of Adam and Beyond", ICLR 2018).

    Args:
        params: the tensors to optimize, or parameter groups (see ``Optimizer``).
        lr: learning rate, > 0. Defaults to 1e-3. Keras name: ``learning_rate``.
        betas: ``(beta_1, beta_2)``, each in [0, 1): decay rates of the running averages.
            Defaults to (0.9, 0.999). Keras names: ``beta_1``, ``beta_2``.
        eps: added to the denominator for numerical stability, >= 0. Defaults to 1e-8.
            Keras name: ``epsilon``.
        weight_decay: L2 penalty factor added to the gradient, >= 0. Defaults to 0.
            (Keras's ``weight_decay`` shrinks the weights directly: that is ``AdamW``.)
        amsgrad: use the AMSGrad variant.
        maximize: climb the objective instead of descending it.
        learning_rate, beta_1, beta_2, epsilon: Keras spellings (one spelling per option).

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> w = gn.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.Adam([w], lr=0.1)
        >>> (w * w).sum().backward()          # g = [2, -4]
        >>> opt.step()                        # step 1: m_hat = g, v_hat = g^2
        >>> w.data.round(4)                   # w = w - 0.1 * g / |g| = w -+ 0.1
        array([ 0.9, -1.9], dtype=float32)
    """

    elementwise = True

    #: AdamW shrinks the weights directly instead of adding weight_decay * w to g.
    decoupled_weight_decay = False

    def __init__(self, params=None, lr: float | None = None, betas: tuple | None = None,
                 eps: float | None = None, weight_decay: float = 0.0, amsgrad: bool = False, *,
                 maximize: bool = False, learning_rate: float | None = None,
                 beta_1: float | None = None, beta_2: float | None = None,
                 epsilon: float | None = None):
        where = type(self).__name__
        if betas is not None and (beta_1 is not None or beta_2 is not None):
            raise TypeError(
                f"{where}: got both betas={betas!r} and beta_1/beta_2; they are the same setting "
                f"(PyTorch and Keras spellings), pass only one"
            )
        if betas is None:
            betas = (0.9 if beta_1 is None else beta_1, 0.999 if beta_2 is None else beta_2)
        defaults = {
            "lr": keras_alias(where, "lr", lr, "learning_rate", learning_rate, 1e-3),
            "betas": betas,
            "eps": keras_alias(where, "eps", eps, "epsilon", epsilon, 1e-8),
            "weight_decay": weight_decay, "amsgrad": amsgrad, "maximize": maximize,
        }
        super().__init__(params, defaults)

    def check_hyperparameters(self, group: dict) -> None:
        super().check_hyperparameters(group)
        if "betas" not in group:
            return
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(
                f"{type(self).__name__}: betas must be a pair (beta_1, beta_2), received {betas!r}"
            )
        for i, beta in enumerate(betas):
            self._require({"beta": beta}, "beta", lambda b: 0 <= b < 1,
                          f"Invalid beta parameter at index {i}", f"0 <= beta_{i + 1} < 1")

    def init_state(self, param, group) -> dict:
        state = {"step": 0, "exp_avg": np.zeros_like(param), "exp_avg_sq": np.zeros_like(param)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = np.zeros_like(param)
        return state

    def update_step(self, param, grad, state, group) -> None:
        lr, eps, weight_decay = float(group["lr"]), float(group["eps"]), group["weight_decay"]
        beta1, beta2 = (float(beta) for beta in group["betas"])
        m, v = state["exp_avg"], state["exp_avg_sq"]
        work = self._workspace(param)
        state["step"] += 1
        t = state["step"]
        if weight_decay and self.decoupled_weight_decay:
            param *= 1 - lr * weight_decay  # AdamW: w = w - lr * weight_decay * w
        elif weight_decay:
            grad = grad + weight_decay * param  # L2 penalty: d/dw (wd/2 * w^2)
        # m = beta1 * m + (1 - beta1) * g
        m *= beta1
        add_scaled_(m, 1 - beta1, grad, work)
        # v = beta2 * v + (1 - beta2) * g * g
        v *= beta2
        np.multiply(grad, grad, out=work)
        add_scaled_(v, 1 - beta2, work, work)
        if group["amsgrad"]:
            v = np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
        # w = w - lr * m_hat / (sqrt(v_hat) + eps), with the bias corrections moved into two
        # numbers (Kingma & Ba, end of section 2): w = w - step_size * m / (sqrt(v) + eps_hat)
        root_correction2 = math.sqrt(1 - beta2**t)
        step_size = lr * root_correction2 / (1 - beta1**t)
        eps_hat = eps * root_correction2
        np.sqrt(v, out=work)
        work += eps_hat
        np.divide(m, work, out=work)
        add_scaled_(param, -step_size, work, work)
        # 12 passes over the parameters in all: m 3, v 4, w 5 (+1 amsgrad, +1-2 weight decay)


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay (the weights shrink directly, not via g).

    Update rule: first ``w = w - lr * weight_decay * w``, then Adam's step (see ``Adam``)
    without the L2 term. With Adam's L2 penalty the decay is divided by ``sqrt(v_hat)`` like
    the gradient, so weights with large gradients are barely regularised; AdamW decays every
    weight at the same rate. Reference: Loshchilov & Hutter, "Decoupled Weight Decay
    Regularization", ICLR 2019.

    Args:
        params, lr, betas, eps, amsgrad, maximize: as for ``Adam``.
        weight_decay: decoupled weight decay factor, >= 0. Defaults to 1e-2.
        learning_rate, beta_1, beta_2, epsilon: Keras spellings (one spelling per option).

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> w = gn.tensor([1.0, -2.0], requires_grad=True)
        >>> opt = optim.AdamW([w], lr=0.1, weight_decay=0.5)
        >>> (w * w).sum().backward()          # g = [2, -4]
        >>> opt.step()                        # w = 0.95 * w, then w -+ 0.1 as in Adam
        >>> w.data.round(4)
        array([ 0.85, -1.8 ], dtype=float32)
    """

    decoupled_weight_decay = True

    def __init__(self, params=None, lr: float | None = None, betas: tuple | None = None,
                 eps: float | None = None, weight_decay: float = 1e-2, amsgrad: bool = False,
                 *, maximize: bool = False, learning_rate: float | None = None,
                 beta_1: float | None = None, beta_2: float | None = None,
                 epsilon: float | None = None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon)

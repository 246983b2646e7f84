"""Check backpropagation against finite differences, for any function or model.

Autograd computes dL/dw exactly by the chain rule. A finite difference estimates it by
nudging w a little each way and watching L:

    dL/dw  ~  (L(w + h) - L(w - h)) / (2h)

If the two agree, the backward pass is right. ``gradcheck`` does this in float64 for every
input tensor that requires grad (or every parameter of a model) and reports the worst
relative error of each.

Example:
    >>> import glassnet as gn
    >>> w = gn.tensor([[0.5, -1.0], [2.0, 0.3]], requires_grad=True)
    >>> x = gn.tensor([[1.0, 2.0]], dtype=gn.float64)   # float64, like the check itself
    >>> report = gn.gradcheck(lambda w: (x @ w).tanh().sum(), [w])
    >>> report.ok
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glassnet.tensor import Tensor, no_grad

#: tensors up to this many elements are checked element by element, larger ones along
#: random directions (each direction costs two evaluations instead of two per element).
ELEMENTWISE_LIMIT = 256


@dataclass
class GradcheckEntry:
    """The comparison for one tensor: worst absolute and relative error.

    With g the autograd gradient and n the finite-difference one (element by element or
    along random directions): ``max_abs_error = max |g - n|``, ``max_rel_error =
    max |g - n| / max(|n|, atol)``, and ``ok`` when every ``|g - n| <= atol + rtol * |n|``.

    Example:
        >>> import glassnet as gn
        >>> w = gn.tensor([2.0, -1.0], requires_grad=True)
        >>> entry = gn.gradcheck(lambda w: (w * w).sum(), [w]).entries[0]
        >>> entry.name, entry.shape, entry.ok, entry.max_rel_error < 1e-6
        ('input 0', (2,), True, True)
    """

    name: str
    shape: tuple
    max_abs_error: float
    max_rel_error: float
    ok: bool


class GradcheckReport:
    """The result of ``gradcheck``: one entry per checked tensor.

    Attributes:
        entries: list of ``GradcheckEntry``.
        ok: True when every entry is within tolerance.

    Example:
        >>> import glassnet as gn
        >>> w = gn.tensor([[0.5, -1.0], [2.0, 0.3]], requires_grad=True)
        >>> x = gn.tensor([[1.0, 2.0]], dtype=gn.float64)
        >>> report = gn.gradcheck(lambda w: (x @ w).tanh().sum(), [w])
        >>> report.ok, report.worst.name
        (True, 'input 0')
        >>> print(report)   # doctest: +ELLIPSIS
        tensor                  shape           max abs err  max rel err  ok
        input 0                 (2, 2)  ...  yes
        gradients match finite differences
    """

    def __init__(self, entries: list):
        self.entries = entries
        self.ok = all(e.ok for e in entries)

    @property
    def worst(self) -> GradcheckEntry:
        """The entry with the largest relative error (the one to look at first)."""
        return max(self.entries, key=lambda e: e.max_rel_error)

    def __str__(self) -> str:
        lines = [f"{'tensor':<24}{'shape':<14}{'max abs err':>13}{'max rel err':>13}  ok"]
        for e in self.entries:
            lines.append(f"{e.name:<24}{str(e.shape):<14}{e.max_abs_error:>13.2e}"
                         f"{e.max_rel_error:>13.2e}  {'yes' if e.ok else 'NO'}")
        lines.append("gradients match finite differences" if self.ok
                     else f"MISMATCH: worst is {self.worst.name}")
        return "\n".join(lines)

    __repr__ = __str__


def _targets(fn_or_model, inputs) -> tuple:
    """What to differentiate: (name, tensor) pairs, and a function of no arguments."""
    from glassnet.nn import Module  # the nn package sits above this module's layer

    inputs = [_float64(x) for x in inputs]
    if isinstance(fn_or_model, Module):
        named = list(fn_or_model.named_parameters())
        return named, lambda: fn_or_model(*inputs)
    named = [(f"input {i}", x) for i, x in enumerate(inputs) if x.requires_grad]
    if not named:
        raise ValueError("gradcheck: no input requires grad; pass tensors with "
                         "requires_grad=True (or a model, to check its parameters)")
    return named, lambda: fn_or_model(*inputs)


def _float64(x):
    """Float inputs become float64 (keeping requires_grad); integer ones (labels) stay."""
    t = x if isinstance(x, Tensor) else Tensor(x)
    if t.dtype.kind == "f" and t.dtype != np.float64:
        t = Tensor(t.data, dtype="float64", requires_grad=t.requires_grad)
    return t


def gradcheck(fn_or_model, inputs, *, eps: float = 1e-6, rtol: float = 1e-4,
              atol: float = 1e-6, seed: int = 0) -> GradcheckReport:
    """Compare autograd with central finite differences, in float64.

    The scalar checked is ``L = sum(out * R)`` with fixed random weights R, so every
    output element matters. Tensors up to ``ELEMENTWISE_LIMIT`` elements are checked element
    by element; larger ones along 8 random directions.

    Args:
        fn_or_model: a function of ``inputs`` returning a Tensor (its inputs with
            ``requires_grad=True`` are checked), or an ``nn.Module`` (its parameters are
            checked, temporarily in float64; ``inputs`` are its call arguments). Float
            inputs are converted to float64; tensors the function captures should be
            float64 too. Use a model in ``eval()`` mode if it has batch norm or dropout.
        inputs: list of tensors or arrays.
        eps: the finite-difference step h.
        rtol, atol: an entry is ok when |autograd - numeric| <= atol + rtol * |numeric|.
        seed: seed for R and the random directions.

    Returns:
        GradcheckReport; ``print(report)`` shows a table.

    Example:
        >>> import glassnet as gn
        >>> model = gn.nn.Sequential(gn.nn.Linear(3, 2, rng=0), gn.nn.Sigmoid())
        >>> print(gn.gradcheck(model, [gn.randn(4, 3, rng=1)]))   # doctest: +ELLIPSIS
        tensor  ...
        0.weight    (3, 2) ...yes
        0.bias      (2,)   ...yes
        gradients match finite differences
    """
    named, call = _targets(fn_or_model, inputs)
    originals = [t.data for _, t in named]
    for _, t in named:  # float64 so h = 1e-6 is not lost in rounding
        t.data = t.data.astype(np.float64)
    try:
        return GradcheckReport([_check_one(name, t, named, call, eps, rtol, atol, seed)
                                for name, t in named])
    finally:
        for (_, t), data in zip(named, originals):
            t.data = data
            t.grad = None


def _check_one(name, tensor, named, call, eps, rtol, atol, seed) -> GradcheckEntry:
    rng = np.random.default_rng(seed)
    with no_grad():
        out = call()
    weights = rng.standard_normal(out.shape)

    def loss() -> float:
        with no_grad():
            return float(np.sum(call().data * weights))

    for _, t in named:
        t.grad = None
    (call() * Tensor(weights, dtype=out.dtype)).sum().backward()
    analytic = tensor.grad
    if tensor.numel() <= ELEMENTWISE_LIMIT:
        numeric = np.zeros_like(tensor.data)
        flat = tensor.data.reshape(-1)
        for i in range(flat.size):
            original = flat[i]
            flat[i] = original + eps
            up = loss()
            flat[i] = original - eps
            down = loss()
            flat[i] = original
            numeric.reshape(-1)[i] = (up - down) / (2 * eps)
        got, want = analytic.ravel(), numeric.ravel()
    else:
        directions = rng.standard_normal((8,) + tensor.shape)
        want = np.empty(8)
        original = tensor.data.copy()
        for k, d in enumerate(directions):
            tensor.data[...] = original + eps * d
            up = loss()
            tensor.data[...] = original - eps * d
            down = loss()
            want[k] = (up - down) / (2 * eps)
        tensor.data[...] = original
        got = np.array([np.sum(analytic * d) for d in directions])
    error = np.abs(got - want)
    rel = error / np.maximum(np.abs(want), atol)
    ok = bool(np.all(error <= atol + rtol * np.abs(want)))
    return GradcheckEntry(name, tensor.shape, float(error.max(initial=0)),
                          float(rel.max(initial=0)), ok)

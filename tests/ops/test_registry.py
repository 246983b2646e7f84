"""Every op against finite differences (float64) and against PyTorch, driven by the registry.

The registry lives in glassnet/ops/samples.py. For each sample we build
    L = sum(fn(inputs) * R)      (R: fixed random weights, so every output element matters)
and compare autograd's dL/dinput with central differences (L(x + h) - L(x - h)) / 2h,
element by element for small inputs and along a random direction for larger ones.
"""

import numpy as np
import pytest

import glassnet as gn
from glassnet.ops import all_ops
from glassnet.ops.samples import OP_INFOS, registry

CASES = [(info, i) for info in OP_INFOS for i in range(len(info.samples(np.random.default_rng(0))))]
IDS = [f"{info.name}-{i}" for info, i in CASES]


def _sample(info, index):
    return info.samples(np.random.default_rng(0))[index]


def _is_differentiable(arg) -> bool:
    return isinstance(arg, np.ndarray) and arg.dtype.kind == "f"


def _to_gn(args):
    return [gn.tensor(a, dtype=gn.float64, requires_grad=True) if _is_differentiable(a)
            else (gn.tensor(a) if isinstance(a, np.ndarray) else a) for a in args]


def _loss_fn(info, sample, weights):
    """L(args) = sum(fn(args) * weights), computed without a graph."""
    def loss(args):
        with gn.no_grad():
            out = info.fn(*_to_gn(args), **sample.kwargs)
        return float(np.sum(out.data * weights))
    return loss


def test_every_op_has_samples():
    missing = [op.__name__ for op in all_ops() if op not in registry()]
    assert not missing, f"ops without an entry in glassnet/ops/samples.py: {missing}"


@pytest.mark.parametrize("info,index", CASES, ids=IDS)
def test_gradient_matches_finite_differences(info, index):
    sample = _sample(info, index)
    inputs = _to_gn(sample.args)
    out = info.fn(*inputs, **sample.kwargs)
    assert out.dtype == np.float64, "float64 in, float64 out: no silent dtype change"
    weights = np.random.default_rng(1).standard_normal(out.shape)
    (out * gn.tensor(weights, dtype=gn.float64)).sum().backward()
    loss = _loss_fn(info, sample, weights)
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in sample.args]
    h = 1e-6
    for position, arg in enumerate(args):
        if not _is_differentiable(arg):
            continue
        analytic = inputs[position].grad
        assert analytic is not None and analytic.shape == arg.shape
        if arg.size <= 64:
            numeric = np.zeros_like(arg)
            for i in np.ndindex(arg.shape):
                original = arg[i]
                arg[i] = original + h
                up = loss(args)
                arg[i] = original - h
                down = loss(args)
                arg[i] = original
                numeric[i] = (up - down) / (2 * h)
            np.testing.assert_allclose(
                analytic, numeric, rtol=1e-4, atol=1e-5,
                err_msg=f"{info.name} input {position}: autograd vs finite differences\n"
                        f"inputs={sample.args} kwargs={sample.kwargs}")
        else:
            direction = np.random.default_rng(2).standard_normal(arg.shape)
            direction /= np.linalg.norm(direction)
            args[position] = arg + h * direction
            up = loss(args)
            args[position] = arg - h * direction
            down = loss(args)
            args[position] = arg
            numeric = (up - down) / (2 * h)
            assert np.isclose(np.sum(analytic * direction), numeric, rtol=1e-4, atol=1e-5), (
                f"{info.name} input {position}: directional derivative "
                f"{np.sum(analytic * direction)} vs finite differences {numeric}")


@pytest.mark.parametrize("info,index", [c for c in CASES if c[0].torch_fn is not None],
                         ids=[i for c, i in zip(CASES, IDS) if c[0].torch_fn is not None])
def test_matches_pytorch(info, index):
    torch = pytest.importorskip("torch")
    sample = _sample(info, index)
    inputs = _to_gn(sample.args)
    torch_inputs = [torch.tensor(a, requires_grad=_is_differentiable(a))
                    if isinstance(a, np.ndarray) else a for a in sample.args]
    out = info.fn(*inputs, **sample.kwargs)
    torch_out = info.torch_fn(torch, *torch_inputs, **sample.kwargs)
    np.testing.assert_allclose(out.data, torch_out.detach().numpy(), rtol=1e-6, atol=1e-12,
                               err_msg=f"{info.name} forward differs from torch")
    weights = np.random.default_rng(1).standard_normal(out.shape)
    (out * gn.tensor(weights, dtype=gn.float64)).sum().backward()
    (torch_out * torch.tensor(weights)).sum().backward()
    for position, (mine, theirs) in enumerate(zip(inputs, torch_inputs)):
        if isinstance(mine, gn.Tensor) and mine.requires_grad:
            np.testing.assert_allclose(mine.grad, theirs.grad.numpy(), rtol=1e-6, atol=1e-12,
                                       err_msg=f"{info.name} grad of input {position} vs torch")


ERROR_CASES = [(info, e) for info in OP_INFOS for e in info.errors]


@pytest.mark.parametrize("info,bad", ERROR_CASES,
                         ids=[f"{info.name}-{i}" for i, (info, _) in enumerate(ERROR_CASES)])
def test_bad_input_raises_clear_error(info, bad):
    with pytest.raises(bad.error, match=bad.match):
        info.fn(*_to_gn(bad.args), **bad.kwargs)


@pytest.mark.parametrize("info,index", CASES, ids=IDS)
def test_float32_stays_float32(info, index):
    sample = _sample(info, index)
    args = [gn.tensor(a.astype(np.float32), requires_grad=True) if _is_differentiable(a)
            else (gn.tensor(a) if isinstance(a, np.ndarray) else a) for a in sample.args]
    out = info.fn(*args, **sample.kwargs)
    assert out.dtype == np.float32
    assert np.all(np.isfinite(out.data)), f"{info.name} gave non-finite values"
    out.sum().backward()
    for a in args:
        if isinstance(a, gn.Tensor) and a.requires_grad:
            assert a.grad.dtype == np.float32 and np.all(np.isfinite(a.grad))

"""The ops written for nn (batch norm), checked through their registry entries.

The same checks as tests/ops/test_registry.py (finite differences in float64, torch, bad
input, float32), run on ``glassnet.ops.samples_nn.OP_INFOS`` so they hold even before the
entries are wired into the main registry.
"""

import numpy as np
import pytest

import glassnet as gn
from glassnet.ops.samples_nn import OP_INFOS

CASES = [(info, i) for info in OP_INFOS for i in range(len(info.samples(np.random.default_rng(0))))]
IDS = [f"{info.name}-{i}" for info, i in CASES]


def _sample(info, index):
    return info.samples(np.random.default_rng(0))[index]


def _to_gn(args, dtype=gn.float64):
    return [gn.tensor(a, dtype=dtype, requires_grad=True) for a in args]


@pytest.mark.parametrize("info,index", CASES, ids=IDS)
def test_gradient_matches_finite_differences(info, index):
    sample = _sample(info, index)
    inputs = _to_gn(sample.args)
    out = info.fn(*inputs, **_sample(info, index).kwargs)
    weights = np.random.default_rng(1).standard_normal(out.shape)
    (out * gn.tensor(weights, dtype=gn.float64)).sum().backward()

    def loss(args):
        with gn.no_grad():
            result = info.fn(*_to_gn(args), **_sample(info, index).kwargs)
        return float(np.sum(result.data * weights))

    args = [a.copy() for a in sample.args]
    h = 1e-6
    for position, arg in enumerate(args):
        numeric = np.zeros_like(arg)
        for i in np.ndindex(arg.shape):
            original = arg[i]
            arg[i] = original + h
            up = loss(args)
            arg[i] = original - h
            down = loss(args)
            arg[i] = original
            numeric[i] = (up - down) / (2 * h)
        np.testing.assert_allclose(inputs[position].grad, numeric, rtol=1e-4, atol=1e-5,
                                   err_msg=f"{info.name} input {position}, {sample.kwargs}")


@pytest.mark.parametrize("info,index", CASES, ids=IDS)
def test_matches_pytorch(info, index):
    torch = pytest.importorskip("torch")
    sample = _sample(info, index)
    inputs = _to_gn(sample.args)
    torch_inputs = [torch.tensor(a, requires_grad=True) for a in sample.args]
    out = info.fn(*inputs, **sample.kwargs)
    torch_out = info.torch_fn(torch, *torch_inputs, **_sample(info, index).kwargs)
    np.testing.assert_allclose(out.data, torch_out.detach().numpy(), rtol=1e-6, atol=1e-12)
    weights = np.random.default_rng(1).standard_normal(out.shape)
    (out * gn.tensor(weights, dtype=gn.float64)).sum().backward()
    (torch_out * torch.tensor(weights)).sum().backward()
    for mine, theirs in zip(inputs, torch_inputs):
        np.testing.assert_allclose(mine.grad, theirs.grad.numpy(), rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("info,index", CASES, ids=IDS)
def test_float32_stays_float32(info, index):
    sample = _sample(info, index)
    args = _to_gn([a.astype(np.float32) for a in sample.args], dtype=gn.float32)
    out = info.fn(*args, **sample.kwargs)
    assert out.dtype == np.float32 and np.all(np.isfinite(out.data))
    out.sum().backward()
    assert all(a.grad.dtype == np.float32 for a in args)


ERRORS = [(info, bad) for info in OP_INFOS for bad in info.errors]


@pytest.mark.parametrize("info,bad", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_bad_input(info, bad):
    with pytest.raises(bad.error, match=bad.match):
        info.fn(*_to_gn(bad.args), **bad.kwargs)


def test_running_statistics_update_in_place_like_torch():
    torch = pytest.importorskip("torch")
    from glassnet.ops.normalization import batch_norm

    x = np.random.default_rng(0).standard_normal((6, 3))
    mean, var = np.zeros(3), np.ones(3)
    t_mean, t_var = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
    batch_norm(gn.tensor(x, dtype=gn.float64), mean, var, training=True, momentum=0.3)
    torch.nn.functional.batch_norm(torch.tensor(x), t_mean, t_var, training=True, momentum=0.3)
    np.testing.assert_allclose(mean, t_mean.numpy(), rtol=1e-12)
    np.testing.assert_allclose(var, t_var.numpy(), rtol=1e-12)

"""Gradient clipping against torch.nn.utils, worked examples, and bad input."""

import numpy as np
import pytest

import glassnet as gn
from glassnet.optim import clip_grad_norm_, clip_grad_value_

SHAPES = [(3, 4), (4,), (2, 2, 2)]


def params_with_grads(lib, scale, dtype=np.float64):
    rng = np.random.default_rng(0)
    grads = [rng.normal(scale=scale, size=s).astype(dtype) for s in SHAPES]
    if lib == "torch":
        import torch
        params = [torch.zeros(s, dtype=getattr(torch, np.dtype(dtype).name), requires_grad=True)
                  for s in SHAPES]
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g)
        return params
    params = [gn.zeros(*s, dtype=dtype, requires_grad=True) for s in SHAPES]
    for p, g in zip(params, grads):
        p.grad = g
    return params


def grads_of(params):
    return [np.asarray(p.grad) for p in params]


@pytest.mark.parametrize("norm_type", [2.0, 1, 3.5, 0.5, float("inf"), "inf"])
@pytest.mark.parametrize("max_norm", [0.5, 1e3])  # clipped, and left alone
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_clip_grad_norm_matches_torch(norm_type, max_norm, dtype):
    torch = pytest.importorskip("torch")
    ours, theirs = params_with_grads("gn", 2.0, dtype), params_with_grads("torch", 2.0, dtype)
    total = clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=float(norm_type))
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert isinstance(total, np.floating) and total.dtype == dtype
    np.testing.assert_allclose(total, expected.item(), rtol=tol)
    for a, b in zip(grads_of(ours), grads_of(theirs)):
        assert a.dtype == dtype
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def test_clip_grad_value_matches_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = params_with_grads("gn", 2.0), params_with_grads("torch", 2.0)
    clip_grad_value_(ours, 1.5)
    torch.nn.utils.clip_grad_value_(theirs, 1.5)
    for a, b in zip(grads_of(ours), grads_of(theirs)):
        np.testing.assert_array_equal(a, b)
    assert max(np.abs(g).max() for g in grads_of(ours)) == 1.5


def test_clip_grad_norm_worked_example():
    # grads [3, 4] and [12]: total norm sqrt(9 + 16 + 144) = 13
    # scale = max_norm / (13 + 1e-6) = 6.5 / 13.000001 ~= 0.5  ->  [1.5, 2], [6]
    a, b = gn.zeros(2, dtype=gn.float64, requires_grad=True), gn.zeros(1, dtype=gn.float64,
                                                                     requires_grad=True)
    a.grad, b.grad = np.array([3.0, 4.0]), np.array([12.0])
    held = a.grad
    assert clip_grad_norm_([a, b], max_norm=6.5) == 13.0
    np.testing.assert_allclose(a.grad, [1.5, 2.0], rtol=1e-6)
    np.testing.assert_allclose(b.grad, [6.0], rtol=1e-6)
    assert a.grad is held  # in place
    # the inf-norm is the largest absolute value
    assert clip_grad_norm_(b, max_norm=100.0, norm_type="inf") == pytest.approx(6.0, rel=1e-6)


def test_clip_skips_parameters_without_grad_and_handles_none_at_all():
    w, unused = gn.ones(2, requires_grad=True), gn.ones(2, requires_grad=True)
    w.grad = np.array([0.0, 10.0], dtype=np.float32)
    assert clip_grad_norm_([w, unused], 1.0) == pytest.approx(10.0)
    assert unused.grad is None
    total = clip_grad_norm_([unused], 1.0)
    assert total == 0.0 and total.dtype == np.float32
    clip_grad_value_([unused], 1.0)
    assert unused.grad is None


def test_nonfinite_norm():
    w = gn.ones(2, dtype=gn.float64, requires_grad=True)
    w.grad = np.array([np.inf, 1.0])
    with pytest.raises(RuntimeError, match="The total norm of order 2.0 .* is non-finite"):
        clip_grad_norm_([w], 1.0, error_if_nonfinite=True)
    # as in PyTorch: scale = 1 / (inf + 1e-6) = 0, so inf * 0 = NaN and 1 * 0 = 0
    assert clip_grad_norm_([w], 1.0) == np.inf
    np.testing.assert_array_equal(w.grad, [np.nan, 0.0])


@pytest.mark.parametrize("call, error, match", [
    (lambda p: clip_grad_norm_(p, -1.0), ValueError,
     "clip_grad_norm_: expected max_norm >= 0, received max_norm=-1.0"),
    (lambda p: clip_grad_norm_(p, 1.0, norm_type=0), ValueError,
     "expected norm_type > 0 or inf, received norm_type=0"),
    (lambda p: clip_grad_norm_(p, "big"), TypeError, "max_norm must be a number, received 'big'"),
    (lambda p: clip_grad_value_(p, -0.5), ValueError,
     "clip_grad_value_: expected clip_value >= 0, received clip_value=-0.5"),
    (lambda p: clip_grad_value_([np.ones(2)], 1.0), TypeError,
     "expected tensors .*item 0 is ndarray"),
])
def test_bad_input(call, error, match):
    w = gn.ones(2, requires_grad=True)
    w.grad = np.ones(2, dtype=np.float32)
    with pytest.raises(error, match=match):
        call([w])


def test_reexported_in_nn_utils():
    nn = pytest.importorskip("glassnet.nn")
    assert nn.utils.clip_grad_norm_ is clip_grad_norm_
    assert nn.utils.clip_grad_value_ is clip_grad_value_

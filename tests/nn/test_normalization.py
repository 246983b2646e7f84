"""BatchNorm1d / BatchNormalization: worked numbers, running statistics, torch, bad input."""

import re

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn


def test_worked_example_train_step():
    bn = nn.BatchNorm1d(1, eps=0.0 + 1e-12, dtype="float64")
    y = bn(gn.tensor([[1.0], [2.0], [6.0]], dtype=gn.float64))
    # mean = (1 + 2 + 6) / 3 = 3; biased var = (4 + 1 + 9) / 3 = 14/3
    # y = (x - 3) / sqrt(14/3)
    np.testing.assert_allclose(y.data.ravel(), np.array([-2.0, -1.0, 3.0]) / np.sqrt(14 / 3),
                               rtol=1e-9)
    # running_mean = 0.9 * 0 + 0.1 * 3 = 0.3
    # running_var = 0.9 * 1 + 0.1 * (14 / 2) = 1.6   (unbiased var: divide by n - 1 = 2)
    np.testing.assert_allclose(bn.running_mean, [0.3], rtol=1e-12)
    np.testing.assert_allclose(bn.running_var, [1.6], rtol=1e-12)
    assert bn.num_batches_tracked == 1


def test_eval_uses_running_statistics():
    bn = nn.BatchNorm1d(2, dtype="float64")
    bn.running_mean[...] = [1.0, -1.0]
    bn.running_var[...] = [4.0, 0.25]
    bn.weight.data[...] = [2.0, 1.0]
    bn.bias.data[...] = [0.5, 0.0]
    bn.eval()
    y = bn(np.array([[3.0, 0.0]]))              # a single row is fine in eval
    # (3 - 1) / sqrt(4 + 1e-5) * 2 + 0.5 ~ 2.5;  (0 + 1) / sqrt(0.25 + 1e-5) ~ 2
    np.testing.assert_allclose(y.data, [[2.0 / np.sqrt(4 + 1e-5) * 2 + 0.5,
                                         1 / np.sqrt(0.25 + 1e-5)]], rtol=1e-12)
    assert bn.num_batches_tracked == 0


def test_momentum_none_is_a_cumulative_average():
    bn = nn.BatchNorm1d(1, momentum=None, dtype="float64")
    for batch in ([[0.0], [2.0]], [[4.0], [6.0]]):
        bn(np.array(batch))
    np.testing.assert_allclose(bn.running_mean, [3.0])       # (1 + 5) / 2


def test_without_running_stats_eval_uses_batch_statistics():
    bn = nn.BatchNorm1d(1, track_running_stats=False).eval()
    assert bn.running_mean is None and "running_mean" not in bn.state_dict()
    np.testing.assert_allclose(bn(np.array([[1.0], [3.0]])).data.ravel(), [-1, 1], atol=1e-4)


def test_lazy_num_features_and_keras_alias():
    bn = nn.BatchNormalization()
    assert isinstance(bn, nn.BatchNorm1d) and not bn.built and list(bn.parameters()) == []
    bn(np.ones((4, 3), dtype=np.float32) * np.arange(4)[:, None])
    assert bn.num_features == 3 and bn.running_mean.shape == (3,)
    assert re.fullmatch(r"batch_normalization(_\d+)?", bn.name)


def test_keras_momentum_warns():
    with pytest.warns(UserWarning, match=r"momentum=0.99 uses PyTorch's meaning.*Keras's "
                                         r"momentum=0.99 is momentum=0.01 here"):
        nn.BatchNormalization(momentum=0.99)


@pytest.mark.parametrize("shape", [(4, 5), (4, 3, 2, 2), (3,)])
def test_wrong_input_shape(shape):
    with pytest.raises(ValueError, match=re.escape(
            f"BatchNorm1d(3): expected input of shape (N, 3) or (N, 3, L), received shape "
            f"{shape}")):
        nn.BatchNorm1d(3)(np.ones(shape))


def test_one_value_per_channel_in_training():
    with pytest.raises(ValueError, match=r"more than 1 value per channel when training, "
                                         r"received input shape \(1, 3\)"):
        nn.BatchNorm1d(3)(np.ones((1, 3)))


@pytest.mark.parametrize("kwargs,message", [
    ({"num_features": 0}, r"num_features must be a positive integer or None, received 0"),
    ({"num_features": 2, "eps": 0}, r"eps must be > 0, received 0"),
    ({"num_features": 2, "momentum": 1.5}, r"momentum must be in \[0, 1\] or None, received 1.5"),
])
def test_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nn.BatchNorm1d(**kwargs)


# -- against PyTorch ---------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(6, 3), (5, 3, 4)])
@pytest.mark.parametrize("affine", [True, False])
def test_matches_torch_train_then_eval(shape, affine):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    ours = nn.BatchNorm1d(3, momentum=0.2, affine=affine, dtype="float64")
    theirs = torch.nn.BatchNorm1d(3, momentum=0.2, affine=affine).double()
    if affine:
        gamma, beta = rng.uniform(0.5, 2, 3), rng.uniform(-1, 1, 3)
        ours.weight.data[...] = gamma
        ours.bias.data[...] = beta
        with torch.no_grad():
            theirs.weight.copy_(torch.tensor(gamma))
            theirs.bias.copy_(torch.tensor(beta))
    for step in range(3):                                   # three training steps
        x_data = rng.standard_normal(shape) * 3 + step
        g = rng.standard_normal(shape)
        x = gn.tensor(x_data, dtype=gn.float64, requires_grad=True)
        tx = torch.tensor(x_data, requires_grad=True)
        out, tout = ours(x), theirs(tx)
        np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-6, atol=1e-12)
        (out * gn.tensor(g, dtype=gn.float64)).sum().backward()
        (tout * torch.tensor(g)).sum().backward()
        np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-6, atol=1e-12)
    if affine:
        np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-6)
        np.testing.assert_allclose(ours.bias.grad, theirs.bias.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(ours.running_mean, theirs.running_mean.numpy(), rtol=1e-6)
    np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), rtol=1e-6)
    assert ours.num_batches_tracked == theirs.num_batches_tracked.item() == 3
    assert list(ours.state_dict()) == list(theirs.state_dict())      # same keys as torch

    ours.eval()
    theirs.eval()
    x_data, g = rng.standard_normal(shape), rng.standard_normal(shape)
    x = gn.tensor(x_data, dtype=gn.float64, requires_grad=True)
    tx = torch.tensor(x_data, requires_grad=True)
    out, tout = ours(x), theirs(tx)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-6, atol=1e-12)
    (out * gn.tensor(g, dtype=gn.float64)).sum().backward()
    (tout * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-6, atol=1e-12)


def test_loads_a_torch_state_dict():
    torch = pytest.importorskip("torch")
    theirs = torch.nn.BatchNorm1d(2).double()
    theirs(torch.randn(8, 2, dtype=torch.float64) * 5)
    ours = nn.BatchNormalization(dtype="float64")
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    ours.eval()
    theirs.eval()
    x = np.random.default_rng(0).standard_normal((3, 2))
    np.testing.assert_allclose(ours(x).data, theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-12)


def test_float32_stays_float32():
    bn = nn.BatchNorm1d(3)
    out = bn(np.random.default_rng(0).standard_normal((4, 3)))
    assert out.dtype == np.float32 and bn.running_var.dtype == np.float32

"""One table-driven test for every layer (thinc's TEST_CASES, Keras's run_layer_test).

For each (layer, settings, input shape): output and gradient shapes, float64 gradients
against finite differences, batched output == row-by-row output, no randomness in eval,
the parameter count, the repr and the config round trip.
"""

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn

# id, factory, input shape, output shape, parameter count, repr
TEST_CASES = [
    ("linear", lambda: nn.Linear(4, 3, rng=0), (5, 4), (5, 3), 4 * 3 + 3,
     "Linear(in_features=4, out_features=3, bias=True)"),
    ("linear-no-bias", lambda: nn.Linear(4, 3, bias=False, rng=0), (5, 4), (5, 3), 12,
     "Linear(in_features=4, out_features=3, bias=False)"),
    ("linear-3d", lambda: nn.Linear(4, 2, rng=0), (2, 3, 4), (2, 3, 2), 10,
     "Linear(in_features=4, out_features=2, bias=True)"),
    ("dense-relu", lambda: nn.Dense(3, activation="relu", rng=0), (5, 4), (5, 3), 15,
     "Dense(in_features=4, units=3, activation='relu')"),
    ("dense-softmax", lambda: nn.Dense(3, activation="softmax", input_dim=4, rng=0), (5, 4),
     (5, 3), 15, "Dense(in_features=4, units=3, activation='softmax')"),
    ("dense-tanh-no-bias", lambda: nn.Dense(2, "tanh", use_bias=False, rng=0), (5, 4), (5, 2),
     8, "Dense(in_features=4, units=2, activation='tanh', use_bias=False)"),
    ("dense-he", lambda: nn.Dense(2, kernel_initializer="he_normal", rng=0), (5, 4), (5, 2), 10,
     "Dense(in_features=4, units=2, activation='linear')"),
    ("dropout", lambda: nn.Dropout(0.5, rng=0), (5, 4), (5, 4), 0, "Dropout(p=0.5)"),
    ("batchnorm", lambda: nn.BatchNorm1d(4), (5, 4), (5, 4), 8,
     "BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"),
    ("batchnorm-3d", lambda: nn.BatchNorm1d(3), (5, 3, 2), (5, 3, 2), 6,
     "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)"),
    ("batchnorm-keras", lambda: nn.BatchNormalization(epsilon=1e-3), (5, 4), (5, 4), 8,
     "BatchNormalization(4, eps=0.001, momentum=0.1, affine=True, track_running_stats=True)"),
    ("batchnorm-no-affine", lambda: nn.BatchNorm1d(4, affine=False), (5, 4), (5, 4), 0,
     "BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=False, track_running_stats=True)"),
    ("flatten", lambda: nn.Flatten(), (5, 2, 3), (5, 6), 0, "Flatten(start_dim=1, end_dim=-1)"),
    ("relu", nn.ReLU, (5, 4), (5, 4), 0, "ReLU()"),
    ("leaky-relu", lambda: nn.LeakyReLU(0.2), (5, 4), (5, 4), 0, "LeakyReLU(negative_slope=0.2)"),
    ("elu", lambda: nn.ELU(alpha=0.5), (5, 4), (5, 4), 0, "ELU(alpha=0.5)"),
    ("gelu", nn.GELU, (5, 4), (5, 4), 0, "GELU(approximate='none')"),
    ("gelu-tanh", lambda: nn.GELU("tanh"), (5, 4), (5, 4), 0, "GELU(approximate='tanh')"),
    ("sigmoid", nn.Sigmoid, (5, 4), (5, 4), 0, "Sigmoid()"),
    ("tanh", nn.Tanh, (5, 4), (5, 4), 0, "Tanh()"),
    ("softplus", nn.Softplus, (5, 4), (5, 4), 0, "Softplus()"),
    ("silu", nn.SiLU, (5, 4), (5, 4), 0, "SiLU()"),
    ("softmax", lambda: nn.Softmax(dim=1), (5, 4), (5, 4), 0, "Softmax(dim=1)"),
    ("log-softmax", nn.LogSoftmax, (5, 4), (5, 4), 0, "LogSoftmax(dim=-1)"),
    ("identity", nn.Identity, (5, 4), (5, 4), 0, "Identity()"),
    ("activation", lambda: nn.Activation("swish"), (5, 4), (5, 4), 0, "Activation('silu')"),
    ("sequential", lambda: nn.Sequential(nn.Dense(6, activation="relu", rng=0), nn.Dropout(0.1),
                                         nn.BatchNormalization(), nn.Dense(2, rng=1)),
     (5, 4), (5, 2), (4 * 6 + 6) + 12 + (6 * 2 + 2),
     "Sequential(\n"
     "  (0): Dense(in_features=4, units=6, activation='relu')\n"
     "  (1): Dropout(p=0.1)\n"
     "  (2): BatchNormalization(6, eps=1e-05, momentum=0.1, affine=True, "
     "track_running_stats=True)\n"
     "  (3): Dense(in_features=6, units=2, activation='linear')\n"
     ")"),
]
IDS = [case[0] for case in TEST_CASES]


def _input(shape, dtype=np.float32, seed=0):
    values = np.random.default_rng(seed).uniform(-2, 2, size=shape)
    values[np.abs(values) < 0.05] = 0.3         # keep away from the kinks of relu & co.
    return values.astype(dtype)


@pytest.mark.parametrize("case", TEST_CASES, ids=IDS)
def test_forward_and_backward_shapes(case):
    _, make, in_shape, out_shape, _, _ = case
    layer = make()
    x = gn.tensor(_input(in_shape), requires_grad=True)
    out = layer(x)
    assert out.shape == out_shape and out.dtype == np.float32
    weights = np.random.default_rng(1).standard_normal(out_shape).astype(np.float32)
    (out * gn.tensor(weights)).sum().backward()
    assert x.grad.shape == in_shape
    for name, param in layer.named_parameters():
        assert param.grad is not None and param.grad.shape == param.shape, name
        assert param.grad.dtype == np.float32


@pytest.mark.parametrize("case", TEST_CASES, ids=IDS)
def test_gradients_match_finite_differences(case):
    _, make, in_shape, out_shape, _, _ = case
    layer = make().double()
    if any(isinstance(m, nn.Dropout) for m in layer.modules()):
        layer.eval()                        # a fresh mask per call would defeat the check
    x_data = _input(in_shape, np.float64)
    weights = np.random.default_rng(1).standard_normal(out_shape)

    def loss(x_array):
        with gn.no_grad():
            return float(np.sum(layer(gn.tensor(x_array, dtype=gn.float64)).data * weights))

    x = gn.tensor(x_data, dtype=gn.float64, requires_grad=True)
    (layer(x) * gn.tensor(weights, dtype=gn.float64)).sum().backward()
    rng, h = np.random.default_rng(2), 1e-6
    checks = [(x.grad, x_data, lambda a: loss(a))]
    for param in layer.parameters():
        def loss_of_param(values, param=param):
            saved = param.data.copy()
            param.data[...] = values
            try:
                return loss(x_data)
            finally:
                param.data[...] = saved
        checks.append((param.grad, param.data.copy(), loss_of_param))
    for analytic, point, f in checks:
        direction = rng.standard_normal(point.shape)
        numeric = (f(point + h * direction) - f(point - h * direction)) / (2 * h)
        np.testing.assert_allclose(np.sum(analytic * direction), numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("case", TEST_CASES, ids=IDS)
def test_batched_output_equals_row_by_row_in_eval(case):
    _, make, in_shape, _, _, _ = case
    layer = make()
    x = _input(in_shape)
    layer(x)                                 # build lazy layers and move running statistics
    layer.eval()
    with gn.no_grad():
        batched = layer(x).data
        rows = np.concatenate([layer(x[i:i + 1]).data for i in range(len(x))])
        again = layer(x).data
    np.testing.assert_allclose(batched, rows, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(batched, again)       # no dropout/randomness in eval


@pytest.mark.parametrize("case", TEST_CASES, ids=IDS)
def test_parameter_count_and_repr(case):
    _, make, in_shape, _, n_params, text = case
    layer = make()
    layer(_input(in_shape))
    assert layer.num_parameters() == n_params
    assert sum(p.numel() for p in layer.parameters()) == n_params
    assert repr(layer) == text


@pytest.mark.parametrize("case", TEST_CASES, ids=IDS)
def test_config_round_trip(case):
    _, make, in_shape, _, _, text = case
    layer = make()
    x = _input(in_shape)
    layer(x)
    clone = type(layer).from_config(layer.get_config())
    clone.load_state_dict(layer.state_dict())
    layer.eval()
    clone.eval()
    assert repr(clone) == text
    with gn.no_grad():
        np.testing.assert_array_equal(clone(x).data, layer(x).data)


def test_dropout_is_identity_in_eval_and_scales_in_train():
    drop = nn.Dropout(0.25, rng=0)
    x = np.ones((200, 50), dtype=np.float32)
    y = drop(x).data
    assert set(np.unique(y)) == {0.0, np.float32(1 / 0.75)}
    assert abs((y == 0).mean() - 0.25) < 0.01
    assert abs(y.mean() - 1.0) < 0.02                     # inverted scaling keeps the mean
    np.testing.assert_array_equal(drop.eval()(x).data, x)


def test_dropout_statistics_match_torch():
    torch = pytest.importorskip("torch")
    x = np.random.default_rng(0).uniform(1, 2, (400, 50))
    ours = nn.Dropout(0.3, rng=1)(gn.tensor(x, dtype=gn.float64)).data
    torch.manual_seed(0)
    theirs = torch.nn.Dropout(0.3)(torch.tensor(x)).numpy()
    for y in (ours, theirs):                      # same rule: zeros, or x / (1 - p)
        kept = y != 0
        np.testing.assert_allclose(y[kept], x[kept] / 0.7, rtol=1e-12)
        # 20,000 draws: the dropped fraction has standard deviation sqrt(0.21 / 20000) = 0.0032
        assert abs((y == 0).mean() - 0.3) < 0.015
        assert abs(y.mean() - x.mean()) < 0.02    # the mean is preserved
    np.testing.assert_array_equal(nn.Dropout(0.3).eval()(gn.tensor(x, dtype=gn.float64)).data,
                                  torch.nn.Dropout(0.3).eval()(torch.tensor(x)).numpy())


def test_dropout_p_zero_is_identity_and_rate_keyword():
    np.testing.assert_array_equal(nn.Dropout(0.0)(np.ones(3)).data, np.ones(3))
    assert nn.Dropout(rate=0.2).p == 0.2 and nn.Dropout(rate=0.2).rate == 0.2


def test_dropout_same_seed_same_mask():
    x = np.ones(100, dtype=np.float32)
    np.testing.assert_array_equal(nn.Dropout(0.5, rng=3)(x).data, nn.Dropout(0.5, rng=3)(x).data)
    gn.seed(7)
    first = nn.Dropout(0.5)(x).data
    gn.seed(7)
    np.testing.assert_array_equal(nn.Dropout(0.5)(x).data, first)


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_dropout_p_outside_range(p):
    with pytest.raises(ValueError, match=rf"Dropout: p must be in \[0, 1\), received p={p}"):
        nn.Dropout(p)


def test_dropout_p_must_be_a_number():
    with pytest.raises(TypeError, match=r"p must be a number in \[0, 1\), received 'half'"):
        nn.Dropout("half")


def test_flatten_too_few_axes():
    with pytest.raises(ValueError, match=r"Flatten\(start_dim=1, end_dim=-1\): received an "
                                         r"input of shape \(5,\) with too few axes"):
        nn.Flatten()(np.ones(5))


def test_activation_modules_match_functional():
    import glassnet.functional as F

    z = gn.tensor(_input((3, 4)))
    pairs = [(nn.ReLU(), F.relu(z)), (nn.LeakyReLU(0.2), F.leaky_relu(z, 0.2)),
             (nn.ELU(0.5), F.elu(z, 0.5)), (nn.GELU("tanh"), F.gelu(z, "tanh")),
             (nn.Sigmoid(), F.sigmoid(z)), (nn.Tanh(), F.tanh(z)), (nn.Softplus(), F.softplus(z)),
             (nn.SiLU(), F.silu(z)), (nn.Softmax(0), F.softmax(z, 0)),
             (nn.LogSoftmax(), F.log_softmax(z)), (nn.Identity(), z)]
    for module, expected in pairs:
        np.testing.assert_array_equal(module(z).data, expected.data, err_msg=repr(module))


def test_pytorch_style_inplace_argument_is_accepted():
    z = gn.tensor([-1.0, 1.0])
    assert nn.ReLU(inplace=True)(z).tolist() == [0.0, 1.0]
    assert z.tolist() == [-1.0, 1.0]


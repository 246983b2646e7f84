"""Linear and Dense: the worked example, lazy building, names, fusion hooks, torch, bad input."""

import math
import re

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn

# The tutorials' 4-input, 2-node ReLU layer (also used by explain() and the CLI).
X = [[1.0, 0.5, -1.0, 2.0]]
W = [[0.2, -0.5],
     [-0.1, 0.4],
     [0.3, 0.2],
     [0.5, -0.3]]
B = [0.1, -0.2]


def _worked_layer(cls):
    if cls == "Linear":
        layer = nn.Linear(4, 2, dtype="float64")
    else:
        layer = nn.Dense(2, activation="relu", input_dim=4, dtype="float64")
    layer.weight.data[...] = W
    layer.bias.data[...] = B
    return layer


@pytest.mark.parametrize("cls", ["Linear", "Dense"])
def test_worked_example_forward(cls):
    layer = _worked_layer(cls)
    x = gn.tensor(X, dtype=gn.float64)
    z = layer(x, apply_activation=False)
    # z1 = 1.0*0.2 + 0.5*(-0.1) + (-1.0)*0.3 + 2.0*0.5 + 0.1
    #    = 0.2 - 0.05 - 0.3 + 1.0 + 0.1 = 0.95
    # z2 = 1.0*(-0.5) + 0.5*0.4 + (-1.0)*0.2 + 2.0*(-0.3) + (-0.2)
    #    = -0.5 + 0.2 - 0.2 - 0.6 - 0.2 = -1.3
    np.testing.assert_allclose(z.data, [[0.95, -1.3]], rtol=1e-12)
    a = z.relu() if cls == "Linear" else layer(x)
    # relu: max(0, 0.95) = 0.95, max(0, -1.3) = 0
    np.testing.assert_allclose(a.data, [[0.95, 0.0]], rtol=1e-12)


@pytest.mark.parametrize("cls", ["Linear", "Dense"])
def test_worked_example_gradients(cls):
    layer = _worked_layer(cls)
    x = gn.tensor(X, dtype=gn.float64, requires_grad=True)
    out = layer(x).relu() if cls == "Linear" else layer(x)
    out.sum().backward()                 # L = relu(z1) + relu(z2)
    # dL/dz = relu'(z) = [1, 0]  (z1 = 0.95 > 0, z2 = -1.3 < 0)
    # dL/dW[i, j] = x_i * dL/dz_j: the first column is x, the second is 0
    np.testing.assert_allclose(layer.weight.grad, [[1.0, 0.0], [0.5, 0.0], [-1.0, 0.0],
                                                   [2.0, 0.0]], rtol=1e-12)
    # dL/db = dL/dz = [1, 0]
    np.testing.assert_allclose(layer.bias.grad, [1.0, 0.0], rtol=1e-12)
    # dL/dx_i = sum_j W[i, j] * dL/dz_j = W[:, 0] = [0.2, -0.1, 0.3, 0.5]
    np.testing.assert_allclose(x.grad, [[0.2, -0.1, 0.3, 0.5]], rtol=1e-12)


# -- Linear ------------------------------------------------------------------------------------


def test_linear_init_matches_pytorch_bounds_and_is_seeded():
    layer = nn.Linear(100, 300, rng=0)
    bound = 1 / math.sqrt(100)
    assert layer.weight.shape == (100, 300) and layer.weight.dtype == np.float32
    assert np.abs(layer.weight.data).max() <= bound and np.abs(layer.bias.data).max() <= bound
    # U(-k, k) has standard deviation k / sqrt(3)
    assert abs(layer.weight.data.std() - bound / math.sqrt(3)) < 0.002
    np.testing.assert_array_equal(layer.weight.data, nn.Linear(100, 300, rng=0).weight.data)
    gn.seed(5)
    first = nn.Linear(3, 2).weight.data.copy()
    gn.seed(5)
    np.testing.assert_array_equal(nn.Linear(3, 2).weight.data, first)


def test_linear_reset_parameters_draws_new_weights():
    layer = nn.Linear(3, 2, rng=0)
    before = layer.weight.data.copy()
    layer.reset_parameters()
    assert not np.array_equal(before, layer.weight.data)


def test_linear_dtype_and_numpy_input():
    layer = nn.Linear(3, 2, dtype="float64")
    assert layer.weight.dtype == np.float64
    assert layer(np.ones((2, 3))).dtype == np.float64
    assert nn.Linear(3, 2)(np.ones((2, 3))).dtype == np.float32   # arrays follow the weights


def test_linear_wrong_width_names_layer_and_both_widths():
    with pytest.raises(ValueError, match=re.escape(
            "Linear(4 -> 2): expected input with 4 features, received shape (3, 5)")):
        nn.Linear(4, 2)(gn.ones(3, 5))


@pytest.mark.parametrize("args", [(0, 2), (2, -1), (2.5, 2), (True, 2)])
def test_linear_bad_sizes(args):
    with pytest.raises(ValueError, match=r"Linear: (in|out)_features must be a positive integer"):
        nn.Linear(*args)


def test_linear_float64_tensor_into_float32_layer_is_refused():
    with pytest.raises(TypeError, match=r"different dtypes"):
        nn.Linear(2, 1)(gn.ones(1, 2, dtype=gn.float64))


# -- Dense -------------------------------------------------------------------------------------


def test_dense_is_a_linear_built_lazily():
    layer = nn.Dense(3, activation="relu")
    assert isinstance(layer, nn.Linear)
    assert not layer.built and layer.weight is None and list(layer.parameters()) == []
    assert layer.in_features is None
    layer(gn.ones(2, 5))
    assert layer.built and layer.in_features == 5
    assert layer.kernel is layer.weight and layer.kernel.shape == (5, 3)
    assert layer.units == 3 and len(list(layer.parameters())) == 2


def test_dense_input_shape_or_input_dim_builds_at_once():
    for layer in (nn.Dense(4, input_shape=(2,)), nn.Dense(4, input_dim=2),
                  nn.Dense(4, input_shape=[3, 2])):
        assert layer.built and layer.weight.shape == (2, 4)
    layer = nn.Dense(2)
    layer.build((None, 7))
    assert layer.weight.shape == (7, 2)


def test_dense_default_init_is_glorot_uniform_with_zero_bias():
    layer = nn.Dense(300, input_dim=200, rng=0)
    limit = math.sqrt(6 / (200 + 300))
    assert np.abs(layer.weight.data).max() <= limit
    assert abs(layer.weight.data.std() - limit / math.sqrt(3)) < 0.001
    np.testing.assert_array_equal(layer.bias.data, np.zeros(300))


def test_dense_initializers_by_name_and_callable():
    layer = nn.Dense(2, kernel_initializer="ones", bias_initializer=nn.init.ones_, input_dim=3)
    np.testing.assert_array_equal(layer.weight.data, np.ones((3, 2)))
    np.testing.assert_array_equal(layer.bias.data, np.ones(2))


def test_dense_seeded_lazy_build_is_reproducible():
    a, b = nn.Dense(4, rng=1), nn.Dense(4, rng=1)
    a(np.ones((1, 3)))
    b(np.ones((1, 3)))
    np.testing.assert_array_equal(a.weight.data, b.weight.data)


def test_dense_activation_name_and_logits_hook():
    layer = nn.Dense(3, activation="softmax", input_dim=2, rng=0)
    x = gn.tensor([[0.5, -1.0]])
    assert layer.activation_name == "softmax"
    logits = layer(x, apply_activation=False)
    np.testing.assert_allclose(layer(x).data, logits.softmax().data, rtol=1e-6)
    assert nn.Dense(1).activation_name == "linear"
    assert nn.Linear(1, 1).activation_name == "linear"
    assert nn.Dense(1, activation=gn.functional.sigmoid).activation_name == "sigmoid"
    assert nn.Dense(1, activation=lambda z: z * 2).activation_name is None


def test_dense_activation_accepts_module_and_is_not_a_child():
    layer = nn.Dense(2, activation=nn.LeakyReLU(0.3), input_dim=2)
    assert layer.activation_name == "leaky_relu"
    assert list(layer.children()) == [] and "activation" not in repr(layer).split("(")[0]
    assert layer.get_config()["activation"] == {"class_name": "LeakyReLU",
                                                "config": {"negative_slope": 0.3}}


def test_dense_wrong_width_names_layer_and_both_widths():
    layer = nn.Dense(8, input_dim=64, name="dense_1")
    with pytest.raises(ValueError, match=re.escape(
            "Dense 'dense_1': expected input with 64 features, received shape (32, 10)")):
        layer(np.ones((32, 10)))


@pytest.mark.parametrize("units", [0, -3, 2.5, None])
def test_dense_units_must_be_positive(units):
    with pytest.raises(ValueError, match=re.escape(f"Received: units={units!r}")):
        nn.Dense(units)


def test_dense_unknown_names_list_the_valid_ones():
    with pytest.raises(ValueError, match=r"Unknown activation 'rleu'. Valid names: elu, gelu, "
                                         r"leaky_relu, linear, log_softmax, relu, sigmoid"):
        nn.Dense(2, activation="rleu")
    with pytest.raises(ValueError, match=r"Unknown initializer 'glorot'. Valid names: .*"
                                         r"glorot_uniform.*he_normal"):
        nn.Dense(2, kernel_initializer="glorot")
    with pytest.raises(ValueError, match=r"Unknown regularizer 'l3'. Valid names: l1, l1_l2, l2"):
        nn.Dense(2, kernel_regularizer="l3")


def test_dense_input_shape_must_be_a_tuple():
    with pytest.raises(TypeError, match=r"input_shape must be a tuple such as \(4,\), "
                                        r"received 4"):
        nn.Dense(2, input_shape=4)


def test_dense_scalar_input_is_refused():
    with pytest.raises(ValueError, match=r"expected input with a feature axis"):
        nn.Dense(2)(gn.tensor(3.0))


def test_dense_regularizers_add_up():
    layer = nn.Dense(2, input_dim=2, kernel_regularizer="l2", bias_regularizer=nn.L1(0.5))
    layer.weight.data[...] = [[1.0, 2.0], [3.0, -4.0]]
    layer.bias.data[...] = [1.0, -3.0]
    # 0.01 * (1 + 4 + 9 + 16) + 0.5 * (1 + 3) = 0.3 + 2.0
    assert layer.regularization_loss().item() == pytest.approx(2.3, rel=1e-6)
    model = nn.Sequential(layer, nn.ReLU(), nn.Dense(1, input_dim=2, kernel_regularizer="l1"))
    model[2].weight.data[...] = [[2.0], [-1.0]]
    loss = model.regularization_loss()       # + 0.01 * (2 + 1)
    assert loss.item() == pytest.approx(2.33, rel=1e-6)
    loss.backward()
    np.testing.assert_allclose(layer.weight.grad, 0.02 * layer.weight.data, rtol=1e-6)


# -- against PyTorch ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda: nn.Linear(5, 3, rng=0),
                                  lambda: nn.Dense(3, activation="tanh", input_dim=5, rng=0),
                                  lambda: nn.Linear(5, 3, bias=False, rng=0)])
def test_linear_matches_torch_float64(make):
    torch = pytest.importorskip("torch")
    layer = make().double()
    x_data = np.random.default_rng(0).standard_normal((4, 5))
    reference = torch.nn.Linear(5, 3, bias=layer.bias is not None).double()
    with torch.no_grad():
        reference.weight.copy_(torch.tensor(layer.weight.data.T))   # torch stores (out, in)
        if layer.bias is not None:
            reference.bias.copy_(torch.tensor(layer.bias.data))
    x = gn.tensor(x_data, dtype=gn.float64, requires_grad=True)
    tx = torch.tensor(x_data, requires_grad=True)
    out = layer(x)
    tout = reference(tx)
    if layer.activation_name == "tanh":
        tout = torch.tanh(tout)
    np.testing.assert_allclose(out.data, tout.detach().numpy(), rtol=1e-6)
    g = np.random.default_rng(1).standard_normal(out.shape)
    (out * gn.tensor(g, dtype=gn.float64)).sum().backward()
    (tout * torch.tensor(g)).sum().backward()
    np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-6)
    np.testing.assert_allclose(layer.weight.grad, reference.weight.grad.numpy().T, rtol=1e-6)
    if layer.bias is not None:
        np.testing.assert_allclose(layer.bias.grad, reference.bias.grad.numpy(), rtol=1e-6)


def test_state_dict_from_torch_after_transposing():
    torch = pytest.importorskip("torch")
    reference = torch.nn.Linear(3, 2).double()
    state = {k: v.detach().numpy() for k, v in reference.state_dict().items()}
    state["weight"] = state["weight"].T
    layer = nn.Linear(3, 2, dtype="float64")
    layer.load_state_dict(state)
    x = np.random.default_rng(0).standard_normal((4, 3))
    np.testing.assert_allclose(layer(x).data, reference(torch.tensor(x)).detach().numpy(),
                               rtol=1e-12)


def test_build_twice_keeps_the_parameters():
    layer = nn.Dense(2, input_dim=3)
    weight = layer.weight
    layer.build((None, 3))
    assert layer.weight is weight
    with pytest.raises(ValueError, match=r"Dense '.*': already built for 3 input features, "
                                         r"cannot rebuild for input shape \(None, 4\)"):
        layer.build((None, 4))

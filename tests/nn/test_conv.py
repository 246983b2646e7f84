"""Convolution and pooling layers: shapes, gradients, PyTorch agreement, errors, learning.

The ops themselves are checked against finite differences and torch by the registry
(glassnet/ops/samples_conv.py); here the layers: both front doors (NCHW PyTorch style,
NHWC Keras style), their weights' layouts and initialisation, their error messages, and a
small CNN that learns the 8x8 digits.
"""

import math

import numpy as np
import pytest

import glassnet as gn
import glassnet.functional as F
from glassnet import nn
from glassnet.functional_conv import conv2d
from glassnet.gradcheck import gradcheck
from glassnet.nn.conv import Conv2d, Conv2D
from glassnet.nn.pooling import (
    AveragePooling2D,
    AvgPool2d,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    MaxPool2d,
    MaxPool2D,
)

# id, factory, input shape, output shape, parameter count, repr
TEST_CASES = [
    ("conv2d", lambda: Conv2d(3, 4, 3, rng=0), (2, 3, 7, 7), (2, 4, 5, 5), 4 * 3 * 9 + 4,
     "Conv2d(3, 4, kernel_size=(3, 3), stride=(1, 1))"),
    # H: (7 + 2 - 3) // 2 + 1 = 4;  W: (6 + 2 - 2) // 2 + 1 = 4
    ("conv2d-stride-pad-no-bias", lambda: Conv2d(2, 3, (3, 2), stride=2, padding=1, bias=False,
                                                 rng=0),
     (2, 2, 7, 6), (2, 3, 4, 4), 3 * 2 * 3 * 2,
     "Conv2d(2, 3, kernel_size=(3, 2), stride=(2, 2), padding=(1, 1), bias=False)"),
    ("conv2d-same", lambda: Conv2d(2, 3, 3, padding="same", rng=0), (2, 2, 5, 5), (2, 3, 5, 5),
     3 * 2 * 9 + 3, "Conv2d(2, 3, kernel_size=(3, 3), stride=(1, 1), padding='same')"),
    ("conv2D-tanh", lambda: Conv2D(4, 3, activation="tanh", rng=0), (2, 7, 7, 3), (2, 5, 5, 4),
     3 * 3 * 3 * 4 + 4,
     "Conv2D(filters=4, kernel_size=(3, 3), strides=(1, 1), padding='valid', "
     "activation='tanh')"),
    # "same" with stride 2 on 6x6: out = ceil(6 / 2) = 3
    ("conv2D-same-stride", lambda: Conv2D(3, 3, strides=2, padding="same", use_bias=False,
                                          rng=0),
     (2, 6, 6, 2), (2, 3, 3, 3), 3 * 3 * 2 * 3,
     "Conv2D(filters=3, kernel_size=(3, 3), strides=(2, 2), padding='same', "
     "activation='linear', use_bias=False)"),
    ("maxpool2d", lambda: MaxPool2d(2), (2, 3, 6, 6), (2, 3, 3, 3), 0,
     "MaxPool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))"),
    ("maxpool2d-overlap-pad", lambda: MaxPool2d(3, stride=2, padding=1), (2, 3, 7, 7),
     (2, 3, 4, 4), 0, "MaxPool2d(kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))"),
    ("avgpool2d", lambda: AvgPool2d(2), (2, 3, 6, 5), (2, 3, 3, 2), 0,
     "AvgPool2d(kernel_size=(2, 2), stride=(2, 2), padding=(0, 0))"),
    ("avgpool2d-pad", lambda: AvgPool2d(3, 2, 1, count_include_pad=False), (2, 3, 7, 7),
     (2, 3, 4, 4), 0, "AvgPool2d(kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))"),
    ("maxpool2D", lambda: MaxPool2D(2), (2, 6, 6, 3), (2, 3, 3, 3), 0,
     "MaxPool2D(kernel_size=(2, 2), stride=(2, 2), padding='valid')"),
    ("maxpool2D-same", lambda: MaxPool2D(3, strides=2, padding="same"), (2, 7, 7, 3),
     (2, 4, 4, 3), 0, "MaxPool2D(kernel_size=(3, 3), stride=(2, 2), padding='same')"),
    ("avgpool2D-same", lambda: AveragePooling2D(2, padding="same"), (2, 5, 5, 3), (2, 3, 3, 3),
     0, "AveragePooling2D(kernel_size=(2, 2), stride=(2, 2), padding='same')"),
    ("global-avg", GlobalAveragePooling2D, (2, 4, 4, 3), (2, 3), 0, "GlobalAveragePooling2D()"),
    ("global-max", lambda: GlobalMaxPooling2D(keepdims=True), (2, 4, 4, 3), (2, 1, 1, 3), 0,
     "GlobalMaxPooling2D(keepdims=True)"),
]
IDS = [case[0] for case in TEST_CASES]


def _input(shape, dtype=np.float32, seed=0):
    return np.random.default_rng(seed).uniform(-2, 2, size=shape).astype(dtype)


@pytest.mark.parametrize("case", TEST_CASES, ids=IDS)
def test_forward_and_backward_shapes_keep_float32(case):
    _, make, in_shape, out_shape, _, _ = case
    layer = make()
    x = gn.tensor(_input(in_shape), requires_grad=True)
    out = layer(x)
    assert out.shape == out_shape and out.dtype == np.float32
    out.sum().backward()
    assert x.grad.shape == in_shape and x.grad.dtype == np.float32
    for name, param in layer.named_parameters():
        assert param.grad.shape == param.shape and param.grad.dtype == np.float32, name


@pytest.mark.parametrize("case", TEST_CASES, ids=IDS)
def test_float64_model_computes_in_float64(case):
    _, make, in_shape, out_shape, _, _ = case
    layer = make().double()
    assert layer(_input(in_shape, np.float64)).dtype == np.float64


@pytest.mark.parametrize("case", TEST_CASES, ids=IDS)
def test_gradients_match_finite_differences(case):
    _, make, in_shape, _, _, _ = case
    layer = make().double()
    x = gn.tensor(_input(in_shape, np.float64), dtype=gn.float64, requires_grad=True)
    report = gradcheck(lambda x: layer(x), [x])
    assert report.ok, str(report)
    if layer.num_parameters():
        report = gradcheck(layer, [x.detach()])
        assert report.ok, str(report)


@pytest.mark.parametrize("case", TEST_CASES, ids=IDS)
def test_batched_output_equals_one_by_one(case):
    _, make, in_shape, _, _, _ = case
    layer = make()
    x = _input(in_shape)
    with gn.no_grad():
        batched = layer(x).data
        rows = np.concatenate([layer(x[i:i + 1]).data for i in range(len(x))])
    np.testing.assert_allclose(batched, rows, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case", TEST_CASES, ids=IDS)
def test_parameter_count_and_repr(case):
    _, make, in_shape, _, n_params, text = case
    layer = make()
    layer(_input(in_shape))
    assert layer.num_parameters() == n_params
    assert repr(layer) == text


@pytest.mark.parametrize("case", TEST_CASES, ids=IDS)
def test_config_round_trip(case):
    _, make, in_shape, _, _, text = case
    layer = make()
    x = _input(in_shape)
    layer(x)
    clone = type(layer).from_config(layer.get_config())
    clone.load_state_dict(layer.state_dict())
    assert repr(clone) == text
    with gn.no_grad():
        np.testing.assert_array_equal(clone(x).data, layer(x).data)


# ----------------------------------------------------------------------------- against PyTorch

CONV_SETTINGS = [  # kernel, stride, padding: several stride/padding combinations
    (3, 1, 0), (3, 2, 1), ((2, 3), (2, 1), (1, 0)), (1, 1, 0), (5, 1, 2), (3, 1, "same"),
]


def _torch_grads_match(ours, theirs, names):
    for name, (a, b) in zip(names, zip(ours, theirs)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-10, err_msg=name)


@pytest.mark.parametrize("kernel,stride,padding", CONV_SETTINGS)
def test_conv2d_layer_matches_torch(kernel, stride, padding):
    torch = pytest.importorskip("torch")
    ours = Conv2d(3, 4, kernel, stride=stride, padding=padding, rng=0).double()
    theirs = torch.nn.Conv2d(3, 4, kernel, stride=stride, padding=padding).double()
    with torch.no_grad():                      # same (out, in, kh, kw) layout: copy as is
        theirs.weight.copy_(torch.tensor(ours.weight.data))
        theirs.bias.copy_(torch.tensor(ours.bias.data))
    x = _input((2, 3, 7, 8), np.float64)
    gx = gn.tensor(x, dtype=gn.float64, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    y, ty = ours(gx), theirs(tx)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-6, atol=1e-10)
    weights = np.random.default_rng(1).standard_normal(y.shape)
    (y * gn.tensor(weights, dtype=gn.float64)).sum().backward()
    (ty * torch.tensor(weights)).sum().backward()
    _torch_grads_match([gx.grad, ours.weight.grad, ours.bias.grad],
                       [tx.grad.numpy(), theirs.weight.grad.numpy(), theirs.bias.grad.numpy()],
                       ["input", "weight", "bias"])


@pytest.mark.parametrize("kernel,stride,padding", [(3, 1, "valid"), (3, 2, "valid"),
                                                   ((2, 3), (2, 1), "valid"), (3, 1, "same")])
def test_keras_conv2D_matches_torch_with_transposed_weights(kernel, stride, padding):
    torch = pytest.importorskip("torch")
    ours = Conv2D(4, kernel, strides=stride, padding=padding, rng=0, dtype="float64")
    x = _input((2, 7, 8, 3), np.float64)                          # NHWC
    gx = gn.tensor(x, dtype=gn.float64, requires_grad=True)
    y = ours(gx)
    assert ours.kernel.shape == (*((kernel, kernel) if isinstance(kernel, int) else kernel),
                                 3, 4)
    theirs = torch.nn.Conv2d(3, 4, kernel, stride=stride, padding=padding).double()
    with torch.no_grad():                      # Keras (kh, kw, in, out) -> torch (out, in, kh, kw)
        theirs.weight.copy_(torch.tensor(ours.kernel.data.transpose(3, 2, 0, 1)))
        theirs.bias.copy_(torch.tensor(ours.bias.data))
    tx = torch.tensor(x.transpose(0, 3, 1, 2).copy(), requires_grad=True)   # NCHW
    ty = theirs(tx)
    np.testing.assert_allclose(y.data, ty.detach().numpy().transpose(0, 2, 3, 1),
                               rtol=1e-6, atol=1e-10)
    weights = np.random.default_rng(1).standard_normal(y.shape)
    (y * gn.tensor(weights, dtype=gn.float64)).sum().backward()
    (ty * torch.tensor(weights.transpose(0, 3, 1, 2))).sum().backward()
    _torch_grads_match(
        [gx.grad, ours.kernel.grad, ours.bias.grad],
        [tx.grad.numpy().transpose(0, 2, 3, 1), theirs.weight.grad.numpy().transpose(2, 3, 1, 0),
         theirs.bias.grad.numpy()],
        ["input", "kernel", "bias"])


@pytest.mark.parametrize("layer_name,kernel,stride,padding", [
    ("max", 2, None, 0), ("max", 3, 2, 1), ("max", (2, 3), (1, 2), 0),
    ("avg", 2, None, 0), ("avg", 3, 2, 1), ("avg", (3, 2), 1, (1, 0)),
])
def test_pooling_layers_match_torch(layer_name, kernel, stride, padding):
    torch = pytest.importorskip("torch")
    ours = (MaxPool2d if layer_name == "max" else AvgPool2d)(kernel, stride, padding)
    theirs = (torch.nn.MaxPool2d if layer_name == "max" else torch.nn.AvgPool2d)(
        kernel, stride, padding)
    x = _input((2, 3, 7, 6), np.float64)
    gx = gn.tensor(x, dtype=gn.float64, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    y, ty = ours(gx), theirs(tx)
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-6, atol=1e-12)
    weights = np.random.default_rng(1).standard_normal(y.shape)
    (y * gn.tensor(weights, dtype=gn.float64)).sum().backward()
    (ty * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(gx.grad, tx.grad.numpy(), rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("stride", [1, 2])
def test_max_pool_ties_send_the_gradient_to_the_first_maximum_like_torch(stride):
    torch = pytest.importorskip("torch")
    # ReLU outputs are full of tied zeros; overlapping windows (stride 1) share inputs
    x = np.array([[[[0.0, 0.0, 1.0, 1.0],
                    [0.0, 0.0, 1.0, 0.0],
                    [2.0, 2.0, 0.0, 0.0],
                    [2.0, 2.0, 0.0, 0.0]]]])
    gx = gn.tensor(x, dtype=gn.float64, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    MaxPool2d(2, stride)(gx).sum().backward()
    torch.nn.functional.max_pool2d(tx, 2, stride).sum().backward()
    np.testing.assert_array_equal(gx.grad, tx.grad.numpy())
    assert gx.grad.sum() == (3 * 3 if stride == 1 else 2 * 2)   # one winner per window


def test_keras_average_pooling_same_averages_real_pixels_only():
    # a 3x3 image of ones, 2x2 windows with "same" padding: the edge windows cover padding,
    # yet every average is 1 (Keras/TensorFlow); PyTorch's count_include_pad would give 0.5
    y = AveragePooling2D(2, padding="same")(np.ones((1, 3, 3, 1)))
    np.testing.assert_array_equal(y.data, np.ones((1, 2, 2, 1)))
    z = AvgPool2d(2, padding="same")(np.ones((1, 1, 3, 3)))          # counts the zeros
    np.testing.assert_array_equal(z.data[0, 0], [[1.0, 0.5], [0.5, 0.25]])


def test_conv2d_worked_example_edge_detector():
    # a vertical edge: left half 0, right half 1; the kernel [-1, 1] per row responds where
    # the value jumps:  y = -x[h, w] + x[h, w + 1]
    image = np.array([[[[0.0, 0.0, 1.0, 1.0]] * 3]])                  # (1, 1, 3, 4)
    kernel = np.array([[[[-1.0, 1.0]]]])                               # (1, 1, 1, 2)
    y = conv2d(gn.tensor(image), gn.tensor(kernel))
    np.testing.assert_array_equal(y.data[0, 0], [[0.0, 1.0, 0.0]] * 3)


# ----------------------------------------------------------------------------- weights


def test_pytorch_style_init_bound_is_one_over_sqrt_fan_in():
    conv = Conv2d(4, 8, 3, rng=0)
    bound = 1 / math.sqrt(4 * 3 * 3)                                  # fan_in = in * kh * kw
    assert conv.weight.shape == (8, 4, 3, 3) and conv.weight.dtype == np.float32
    assert np.abs(conv.weight.data).max() <= bound
    assert np.abs(conv.weight.data).max() > 0.9 * bound
    assert np.abs(conv.bias.data).max() <= bound


def test_keras_style_init_is_glorot_uniform_with_receptive_field_fans():
    conv = Conv2D(16, 3, input_shape=(8, 8, 4), rng=0)
    limit = math.sqrt(6 / (3 * 3 * 4 + 3 * 3 * 16))                   # fans times kh * kw
    assert conv.kernel.shape == (3, 3, 4, 16)
    assert limit * 0.95 < np.abs(conv.kernel.data).max() <= limit
    np.testing.assert_array_equal(conv.bias.data, np.zeros(16))


def test_same_seed_same_weights():
    a = Conv2D(4, 3, input_shape=(5, 5, 2), rng=3)
    b = Conv2D(4, 3, input_shape=(5, 5, 2), rng=3)
    np.testing.assert_array_equal(a.kernel.data, b.kernel.data)
    gn.seed(11)
    first = Conv2d(2, 4, 3).weight.data.copy()
    gn.seed(11)
    np.testing.assert_array_equal(Conv2d(2, 4, 3).weight.data, first)


def test_keras_conv_is_lazy_until_the_first_batch():
    conv = Conv2D(8, 3)
    assert not conv.built and list(conv.parameters()) == []
    conv(np.zeros((1, 5, 5, 3), dtype=np.float32))
    assert conv.built and conv.in_channels == 3 and conv.kernel.shape == (3, 3, 3, 8)


def test_sequential_builds_and_loads_a_keras_cnn():
    model = nn.Sequential(Conv2D(4, 3, activation="relu", rng=0), MaxPool2D(2), nn.Flatten(),
                          nn.Dense(2, rng=0))
    model.build((None, 8, 8, 1))
    assert model.num_parameters() == (9 * 4 + 4) + (3 * 3 * 4 * 2 + 2)
    copy = nn.Sequential(Conv2D(4, 3, activation="relu"), MaxPool2D(2), nn.Flatten(),
                         nn.Dense(2))
    copy.load_state_dict(model.state_dict())                 # lazy layers built from shapes
    x = _input((3, 8, 8, 1))
    np.testing.assert_array_equal(copy(x).data, model(x).data)


# ----------------------------------------------------------------------------- bad input


def test_wrong_channel_count_names_the_layer_and_both_counts():
    conv = Conv2D(8, 3, input_shape=(8, 8, 3), name="conv_a")
    with pytest.raises(ValueError, match=r"Conv2D 'conv_a': expected input with 3 channels "
                                         r"\(kernel shape \(3, 3, 3, 8\)\), received 1 "
                                         r"channels in input shape \(2, 8, 8, 1\)"):
        conv(np.zeros((2, 8, 8, 1)))


def test_channels_first_image_in_a_keras_layer_gets_a_hint():
    conv = Conv2D(8, 3, input_shape=(8, 8, 3), name="conv_b")
    with pytest.raises(ValueError, match=r"received 8 channels.*looks channels-first.*"
                                         r"x.transpose\(0, 2, 3, 1\)"):
        conv(np.zeros((2, 3, 8, 8)))
    with pytest.raises(ValueError, match=r"Conv2d 'conv_c': expected input with 3 channels.*"
                                         r"looks channels-last.*permute\(0, 3, 1, 2\)"):
        Conv2d(3, 8, 3, name="conv_c")(np.zeros((2, 8, 8, 3)))


@pytest.mark.parametrize("layer,shape,layout", [
    (lambda: Conv2D(8, 3, name="conv_d"), (8, 8), r"\(N, H, W, C\)"),
    (lambda: Conv2d(1, 8, 3, name="conv_d"), (8, 8, 1), r"\(N, C, H, W\)"),
    (lambda: MaxPool2D(2, name="conv_d"), (2, 8, 8, 1, 1), r"\(N, H, W, C\)"),
    (lambda: AvgPool2d(2, name="conv_d"), (8, 8), r"\(N, C, H, W\)"),
    (lambda: GlobalAveragePooling2D(name="conv_d"), (2, 8), r"\(N, H, W, C\)"),
])
def test_input_must_be_a_4d_batch_of_images(layer, shape, layout):
    with pytest.raises(ValueError, match=rf"'conv_d': expected a 4-D batch of images {layout}, "
                                         rf"received shape {re_shape(shape)}"):
        layer()(np.zeros(shape))


def re_shape(shape):
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)")


def test_kernel_larger_than_the_padded_input():
    with pytest.raises(ValueError, match=r"Conv2D 'conv_e': the 5x5 kernel is larger than the "
                                         r"padded input 3x3"):
        Conv2D(2, 5, name="conv_e")(np.zeros((1, 3, 3, 1)))
    with pytest.raises(ValueError, match=r"MaxPool2d 'pool_e': the 4x4 kernel is larger than "
                                         r"the padded input 3x3"):
        MaxPool2d(4, name="pool_e")(np.zeros((1, 1, 3, 3)))


@pytest.mark.parametrize("make,message", [
    (lambda: Conv2D(0, 3), r"Conv2D: filters must be a positive integer, received 0"),
    (lambda: Conv2d(3, -1, 3), r"Conv2d: out_channels must be a positive integer, received -1"),
    (lambda: Conv2d(2.5, 4, 3), r"Conv2d: in_channels must be a positive integer, received 2.5"),
    (lambda: Conv2D(4, 0), r"Conv2D: kernel_size must be an int >= 1 or a pair"),
    (lambda: Conv2D(4, (3, 3, 3)), r"kernel_size must be .* received \(3, 3, 3\)"),
    (lambda: Conv2D(4, 3, strides=0), r"Conv2D: stride must be an int >= 1"),
    (lambda: Conv2D(4, 3, padding="full"), r"Conv2D: padding must be 'valid', 'same'"),
    (lambda: Conv2d(1, 4, 3, padding=-1), r"Conv2d: padding must be an int >= 0"),
    (lambda: Conv2D(4, 3, activation="relux"), r"Unknown activation 'relux'. Valid names:"),
    (lambda: Conv2D(4, 3, kernel_initializer="glorot"), r"Unknown initializer 'glorot'"),
    (lambda: Conv2D(4, 3, input_shape=(8, 8)), r"input_shape must be the shape of one image"),
    (lambda: MaxPool2D(0), r"MaxPool2D: kernel_size must be an int >= 1"),
    (lambda: MaxPool2D(2, padding="full"), r"MaxPool2D: padding must be 'valid', 'same'"),
])
def test_bad_settings_fail_at_construction(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_pool_padding_more_than_half_the_window():
    with pytest.raises(ValueError, match=r"MaxPool2d 'pool_f': padding \(\(2, 2\), \(2, 2\)\) "
                                         r"must be at most half the kernel size \(3, 3\)"):
        MaxPool2d(3, padding=2, name="pool_f")(np.zeros((1, 1, 8, 8)))


# ----------------------------------------------------------------------------- learning


def _digit_images(channels_last):
    from glassnet.data import load_digits, train_test_split

    X, y = load_digits()
    X = (X / 16.0).reshape(-1, 8, 8, 1) if channels_last else (X / 16.0).reshape(-1, 1, 8, 8)
    return train_test_split(X.astype(np.float32), y, test_size=0.25, random_state=0)


@pytest.mark.slow
@pytest.mark.parametrize("style", ["keras", "pytorch"])
def test_small_cnn_learns_the_digits(style):
    from glassnet.optim.adam import Adam

    X_train, X_test, y_train, y_test = _digit_images(channels_last=style == "keras")
    if style == "keras":
        model = nn.Sequential(Conv2D(8, 3, activation="relu", rng=0), MaxPool2D(2),
                              nn.Flatten(), nn.Dense(10, rng=1))
        model.build((None, 8, 8, 1))
    else:
        model = nn.Sequential(Conv2d(1, 8, 3, rng=0), nn.ReLU(), MaxPool2d(2), nn.Flatten(),
                              nn.Linear(8 * 3 * 3, 10, rng=1))
    optimizer = Adam(model.parameters(), lr=0.01)
    order_rng = np.random.default_rng(0)
    for _ in range(8):                                           # epochs
        order = order_rng.permutation(len(X_train))
        for start in range(0, len(order), 32):
            batch = order[start:start + 32]
            loss = F.cross_entropy(model(X_train[batch]), gn.tensor(y_train[batch]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with gn.no_grad():
        accuracy = (model(X_test).data.argmax(axis=1) == y_test).mean()
    assert accuracy > 0.9, accuracy

"""Recurrent layers (SimpleRNN, LSTM, GRU): shapes, gradients, PyTorch agreement, errors, learning.

PyTorch stores the same weights transposed ((gates * hidden, in)), orders GRU's blocks
r, z, n where Keras (and glassnet) use z, r, h, and keeps two biases (b_ih, b_hh) where
Keras's SimpleRNN/LSTM keep one (their sum). The torch checks copy the weights across
with exactly these changes and compare outputs and all gradients in float64.
"""

import numpy as np
import pytest

import glassnet as gn
import glassnet.functional as F
from glassnet import nn
from glassnet.gradcheck import gradcheck
from glassnet.nn.recurrent import GRU, LSTM, SimpleRNN, orthogonal_

# id, factory, input shape, output shape, parameter count, repr
TEST_CASES = [
    ("simple-rnn", lambda: SimpleRNN(4, rng=0), (3, 5, 2), (3, 4), 2 * 4 + 4 * 4 + 4,
     "SimpleRNN(input_size=2, units=4)"),
    ("simple-rnn-relu-seq", lambda: SimpleRNN(3, activation="relu", return_sequences=True,
                                              rng=0),
     (3, 4, 2), (3, 4, 3), 2 * 3 + 3 * 3 + 3,
     "SimpleRNN(input_size=2, units=3, return_sequences=True)"),
    ("lstm", lambda: LSTM(3, rng=0), (3, 5, 2), (3, 3), 4 * (2 * 3 + 3 * 3 + 3),
     "LSTM(input_size=2, units=3)"),
    ("lstm-seq-no-bias", lambda: LSTM(3, use_bias=False, return_sequences=True, rng=0),
     (2, 4, 2), (2, 4, 3), 4 * (2 * 3 + 3 * 3), "LSTM(input_size=2, units=3, "
                                                "return_sequences=True)"),
    ("gru", lambda: GRU(3, rng=0), (3, 5, 2), (3, 3), 3 * (2 * 3 + 3 * 3) + 2 * 3 * 3,
     "GRU(input_size=2, units=3)"),
    ("gru-v1-seq", lambda: GRU(3, reset_after=False, return_sequences=True, rng=0),
     (3, 4, 2), (3, 4, 3), 3 * (2 * 3 + 3 * 3) + 3 * 3,
     "GRU(input_size=2, units=3, return_sequences=True)"),
    ("one-step", lambda: LSTM(2, rng=0), (3, 1, 4), (3, 2), 4 * (4 * 2 + 2 * 2 + 2),
     "LSTM(input_size=4, units=2)"),
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
def test_gradients_match_finite_differences(case):
    _, make, in_shape, _, _, _ = case
    layer = make().double()
    x = gn.tensor(_input(in_shape, np.float64), dtype=gn.float64, requires_grad=True)
    layer(x)                                                  # build
    for p in layer.parameters():                              # away from zero biases
        p.data[...] = np.random.default_rng(3).uniform(-0.8, 0.8, p.shape)
    report = gradcheck(lambda x: layer(x), [x])
    assert report.ok, str(report)
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


def test_return_sequences_last_step_equals_the_default_output():
    x = _input((3, 6, 2))
    every = LSTM(4, return_sequences=True, rng=0)(x).data
    last = LSTM(4, rng=0)(x).data
    np.testing.assert_array_equal(every[:, -1], last)


# ----------------------------------------------------------------------------- against PyTorch


def _copy_into_torch(torch, layer, module, order, two_biases):
    """Keras-layout weights of ``layer`` into torch's ``module`` (blocks reordered by order)."""
    kernel, recurrent, bias = (p.data for p in (layer.kernel, layer.recurrent_kernel, layer.bias))
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.tensor(kernel[:, order].T))
        module.weight_hh_l0.copy_(torch.tensor(recurrent[:, order].T))
        if two_biases:                               # GRU: b_in and b_rec, as torch's
            module.bias_ih_l0.copy_(torch.tensor(bias[0][order]))
            module.bias_hh_l0.copy_(torch.tensor(bias[1][order]))
        else:                                        # one bias b = b_ih + b_hh
            module.bias_ih_l0.copy_(torch.tensor(bias[order]))
            module.bias_hh_l0.zero_()


def _torch_case(torch, kind, units, features, return_sequences):
    """(our layer, torch module, order of our gate columns in torch's layout, two biases)."""
    u = np.arange(units)
    if kind == "rnn":
        return (SimpleRNN(units, return_sequences=return_sequences, dtype="float64", rng=0),
                torch.nn.RNN(features, units, batch_first=True), u, False)
    if kind == "rnn-relu":
        return (SimpleRNN(units, activation="relu", return_sequences=return_sequences,
                          dtype="float64", rng=0),
                torch.nn.RNN(features, units, nonlinearity="relu", batch_first=True), u, False)
    if kind == "lstm":                # i, f, g, o in both
        return (LSTM(units, return_sequences=return_sequences, dtype="float64", rng=0),
                torch.nn.LSTM(features, units, batch_first=True), np.arange(4 * units), False)
    # GRU: torch's blocks (r, z, n) are our blocks (z, r, h) in the order 1, 0, 2
    order = np.concatenate([u + units, u, u + 2 * units])
    return (GRU(units, return_sequences=return_sequences, dtype="float64", rng=0),
            torch.nn.GRU(features, units, batch_first=True), order, True)


@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("kind", ["rnn", "rnn-relu", "lstm", "gru"])
def test_matches_torch_outputs_and_gradients(kind, return_sequences):
    torch = pytest.importorskip("torch")
    n, steps, features, units = 3, 6, 4, 5
    layer, module, order, two_biases = _torch_case(torch, kind, units, features,
                                                   return_sequences)
    module = module.double()
    layer.build((None, steps, features))
    rng = np.random.default_rng(1)
    for p in layer.parameters():                     # not the zero/one initial biases
        p.data[...] = rng.uniform(-0.6, 0.6, p.shape)
    _copy_into_torch(torch, layer, module, order, two_biases)
    x = rng.standard_normal((n, steps, features))
    gx = gn.tensor(x, dtype=gn.float64, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    y = layer(gx)
    sequence, _ = module(tx)
    ty = sequence if return_sequences else sequence[:, -1]
    np.testing.assert_allclose(y.data, ty.detach().numpy(), rtol=1e-6, atol=1e-10)

    weights = rng.standard_normal(y.shape)
    (y * gn.tensor(weights, dtype=gn.float64)).sum().backward()
    (ty * torch.tensor(weights)).sum().backward()
    back = np.argsort(order)                         # torch's columns back to ours
    np.testing.assert_allclose(gx.grad, tx.grad.numpy(), rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(layer.kernel.grad, module.weight_ih_l0.grad.numpy().T[:, back],
                               rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(layer.recurrent_kernel.grad,
                               module.weight_hh_l0.grad.numpy().T[:, back], rtol=1e-6, atol=1e-10)
    if two_biases:
        expected_bias = np.stack([module.bias_ih_l0.grad.numpy()[back],
                                  module.bias_hh_l0.grad.numpy()[back]])
    else:
        expected_bias = module.bias_ih_l0.grad.numpy()[back]
    np.testing.assert_allclose(layer.bias.grad, expected_bias, rtol=1e-6, atol=1e-10)


def test_gru_reset_before_matches_the_equations_written_out():
    # reset_after=False has no torch counterpart: compare with the docstring's equations
    n, steps, features, units = 2, 4, 3, 2
    gru = GRU(units, reset_after=False, return_sequences=True, dtype="float64", rng=0)
    gru.build((None, steps, features))
    rng = np.random.default_rng(5)
    for p in gru.parameters():
        p.data[...] = rng.uniform(-1, 1, p.shape)
    W, U, b = gru.kernel.data, gru.recurrent_kernel.data, gru.bias.data
    x = rng.standard_normal((n, steps, features))

    def sigmoid(v):
        return 1 / (1 + np.exp(-v))

    h, expected = np.zeros((n, units)), []
    for t in range(steps):
        xw = x[:, t] @ W + b
        z = sigmoid(xw[:, :units] + h @ U[:, :units])
        r = sigmoid(xw[:, units:2 * units] + h @ U[:, units:2 * units])
        candidate = np.tanh(xw[:, 2 * units:] + (r * h) @ U[:, 2 * units:])
        h = z * h + (1 - z) * candidate
        expected.append(h)
    np.testing.assert_allclose(gru(x).data, np.stack(expected, axis=1), rtol=1e-12)


def test_lstm_worked_example_one_unit_one_step():
    # one unit, one step, x = 1, every weight 0.5 and b = 0 (h_0 = c_0 = 0):
    # z = 0.5 for every gate; i = f = o = sigmoid(0.5) = 0.62246, g = tanh(0.5) = 0.46212
    # c = f * 0 + i * g = 0.28765;  h = o * tanh(c) = 0.62246 * 0.27996 = 0.17427
    lstm = LSTM(1, unit_forget_bias=False, input_shape=(1, 1), dtype="float64")
    lstm.kernel.data[...] = 0.5
    lstm.recurrent_kernel.data[...] = 0.5
    assert round(lstm(np.ones((1, 1, 1))).item(), 5) == 0.17427


# ----------------------------------------------------------------------------- weights


def test_keras_initial_weights():
    lstm = LSTM(4, input_shape=(7, 3), rng=0)
    limit = np.sqrt(6 / (3 + 16))                        # glorot_uniform on (3, 16)
    assert np.abs(lstm.kernel.data).max() <= limit
    rows = lstm.recurrent_kernel.data.astype(np.float64)  # orthogonal rows (4, 16)
    np.testing.assert_allclose(rows @ rows.T, np.eye(4), atol=1e-6)
    np.testing.assert_array_equal(lstm.bias.data, [0] * 4 + [1] * 4 + [0] * 8)  # forget = 1
    np.testing.assert_array_equal(GRU(2, input_shape=(7, 3)).bias.data, np.zeros((2, 6)))


def test_orthogonal_init_square_and_tall():
    square = orthogonal_(np.zeros((5, 5)), rng=0)
    np.testing.assert_allclose(square.T @ square, np.eye(5), atol=1e-12)
    tall = orthogonal_(np.zeros((6, 2)), gain=2.0, rng=0)
    np.testing.assert_allclose(tall.T @ tall, 4 * np.eye(2), atol=1e-12)


def test_same_seed_same_weights_and_lazy_build():
    a, b = GRU(3, rng=4), GRU(3, rng=4)
    assert not a.built and list(a.parameters()) == []
    x = _input((2, 3, 5))
    np.testing.assert_array_equal(a(x).data, b(x).data)
    assert a.built and a.kernel.shape == (5, 9)


def test_stacked_lstms_in_a_sequential_load_from_a_state_dict():
    model = nn.Sequential(LSTM(4, return_sequences=True, rng=0), GRU(3, rng=1), nn.Dense(1,
                                                                                           rng=2))
    x = _input((2, 5, 3))
    y = model(x).data
    copy = nn.Sequential(LSTM(4, return_sequences=True), GRU(3), nn.Dense(1))
    copy.load_state_dict(model.state_dict())
    np.testing.assert_array_equal(copy(x).data, y)


# ----------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("shape", [(5, 3), (2, 5, 3, 1)])
def test_input_must_be_3d(shape):
    shape_text = str(shape).replace("(", r"\(").replace(")", r"\)")
    with pytest.raises(ValueError, match=rf"LSTM 'seq_a': expected a 3-D input \(batch, "
                                         rf"timesteps, features\), received shape {shape_text}"):
        LSTM(4, name="seq_a")(np.zeros(shape))


def test_wrong_feature_count_names_the_layer_and_both_widths():
    gru = GRU(4, input_shape=(10, 3), name="seq_b")
    with pytest.raises(ValueError, match=r"GRU 'seq_b': expected input with 3 features per "
                                         r"step, received shape \(2, 10, 5\)"):
        gru(np.zeros((2, 10, 5)))


def test_empty_sequences():
    with pytest.raises(ValueError, match=r"SimpleRNN 'seq_c': received sequences with 0 "
                                         r"timesteps \(shape \(2, 0, 3\)\)"):
        SimpleRNN(2, name="seq_c")(np.zeros((2, 0, 3)))


@pytest.mark.parametrize("make,error,message", [
    (lambda: LSTM(0), ValueError, r"LSTM: units must be a positive integer. Received: units=0"),
    (lambda: GRU(2.5), ValueError, r"GRU: units must be a positive integer. Received: units=2.5"),
    (lambda: SimpleRNN(3, activation="tanhh"), ValueError, r"Unknown activation 'tanhh'"),
    (lambda: LSTM(3, recurrent_initializer="orthogonall"), ValueError,
     r"Unknown initializer 'orthogonall'"),
    (lambda: LSTM(3, input_shape=(3,)), ValueError,
     r"input_shape must be \(timesteps, features\) of one sequence, received \(3,\)"),
])
def test_bad_settings_fail_at_construction(make, error, message):
    with pytest.raises(error, match=message):
        make()


# ----------------------------------------------------------------------------- learning


@pytest.mark.slow
def test_lstm_learns_the_sign_of_a_sequence_sum():
    from glassnet.optim.adam import Adam

    rng = np.random.default_rng(0)
    X = rng.standard_normal((600, 8, 1)).astype(np.float32)
    y = (X.sum(axis=(1, 2)) > 0).astype(np.float32).reshape(-1, 1)
    X_train, y_train, X_test, y_test = X[:400], y[:400], X[400:], y[400:]
    model = nn.Sequential(LSTM(8, rng=0), nn.Dense(1, rng=1))
    model(X_train[:1])
    optimizer = Adam(model.parameters(), lr=0.05)
    for _ in range(10):                                          # epochs
        order = rng.permutation(len(X_train))
        for start in range(0, len(order), 50):
            batch = order[start:start + 50]
            loss = F.binary_cross_entropy_with_logits(model(X_train[batch]),
                                                      gn.tensor(y_train[batch]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with gn.no_grad():
        accuracy = ((model(X_test).data > 0) == (y_test > 0.5)).mean()
    assert accuracy > 0.9, accuracy

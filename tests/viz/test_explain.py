"""explain(): the numbers of one forward and backward pass, checked by hand and by autograd.

The worked examples are the tutorials' (the 4-input, 2-node ReLU layer and XOR), with the
arithmetic in comments, so explain() and these tests tell the same story.
"""

import json
import math
import re

import numpy as np
import pytest

import glassnet as gn
from glassnet import functional as F
from glassnet import nn, optim
from glassnet.training.model import Model
from glassnet.viz.explain import (
    EXAMPLES,
    Explanation,
    example_network,
    explain,
    explain_example,
    explain_row,
)

# ----------------------------------------------------------------------------- fixtures

# The tutorials' 2-node layer: 4 inputs -> 2 ReLU nodes.
X = [1.0, 0.5, -1.0, 2.0]
W = [[0.2, -0.5],
     [-0.1, 0.4],
     [0.3, 0.2],
     [0.5, -0.3]]
B = [0.1, -0.2]
T = [1.0, 0.0]

# XOR, 2-2-1 with sigmoids: hidden units OR and NAND, output AND.
W1 = [[4.0, -4.0], [4.0, -4.0]]
B1 = [-2.0, 6.0]
W2 = [[4.0], [4.0]]
B2 = [-6.0]


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def set_weights(layer, weight, bias):
    layer.weight.data[...] = weight
    layer.bias.data[...] = bias
    return layer


def two_node(dtype="float64"):
    layer = nn.Dense(2, activation="relu", input_dim=4, dtype=dtype, name="two_node")
    return nn.Sequential([set_weights(layer, W, B)])


def xor_net(dtype="float64"):
    hidden = nn.Dense(2, activation="sigmoid", input_dim=2, dtype=dtype, name="hidden")
    out = nn.Dense(1, activation="sigmoid", input_dim=2, dtype=dtype, name="output")
    return nn.Sequential([set_weights(hidden, W1, B1), set_weights(out, W2, B2)])


class XORNet(nn.Module):
    """The seeds' PyTorch-style XOR network: one Sigmoid module used twice."""

    def __init__(self, hidden=4):
        super().__init__()
        self.layer1 = nn.Linear(2, hidden, rng=0, dtype="float64")
        self.layer2 = nn.Linear(hidden, 1, rng=1, dtype="float64")
        self.activation = nn.Sigmoid()

    def forward(self, x):
        x = self.activation(self.layer1(x))
        x = self.activation(self.layer2(x))
        return x


def autograd_grads(model, x, loss_fn):
    """A separate forward and backward pass: {parameter name: dL/dparameter}."""
    model.zero_grad()
    model.eval()
    dtype = next(model.parameters()).dtype
    loss = loss_fn(model(gn.tensor([x], dtype=dtype)))
    loss.backward()
    grads = {name: p.grad.copy() for name, p in model.named_parameters()}
    model.zero_grad()
    return float(loss.item()), grads


# ----------------------------------------------------------------------------- the 2-node layer


def test_two_node_forward_numbers_are_the_hand_computed_ones():
    e = explain(two_node(), X, y=T)
    (record,) = e.records
    d = e.to_dict()["records"][0]
    assert (record.kind, record.layer_type, record.activation) == ("linear", "Dense", "relu")
    np.testing.assert_array_equal(d["input"], X)
    np.testing.assert_allclose(d["weight"], W, rtol=0)
    np.testing.assert_allclose(d["bias"], B, rtol=0)
    # z1 = 1.0*0.2 + 0.5*(-0.1) + (-1.0)*0.3 + 2.0*0.5 + 0.1 = 0.2 - 0.05 - 0.3 + 1.0 + 0.1 = 0.95
    # z2 = 1.0*(-0.5) + 0.5*0.4 + (-1.0)*0.2 + 2.0*(-0.3) + (-0.2)
    #    = -0.5 + 0.2 - 0.2 - 0.6 - 0.2 = -1.3
    np.testing.assert_allclose(d["z"], [0.95, -1.3], rtol=1e-12)
    # a = relu(z) = [max(0, 0.95), max(0, -1.3)] = [0.95, 0.0]
    np.testing.assert_allclose(d["output"], [0.95, 0.0], rtol=1e-12)
    np.testing.assert_allclose(e.to_dict()["output"], [0.95, 0.0], rtol=1e-12)


def test_two_node_backward_equals_hand_values_autograd_and_textbook():
    model = two_node()
    e = explain(model, X, y=T)
    r = e.records[0]
    # MSE: L = ((0.95 - 1)^2 + (0 - 0)^2) / 2 = 0.0025 / 2 = 0.00125
    assert e.loss_name == "mean_squared_error"
    assert e.loss == pytest.approx(0.00125, rel=1e-9)
    # dL/da = 2 * (a - t) / 2 = [-0.05, 0.0]; relu'(z) = [1, 0] (z1 > 0, z2 < 0)
    np.testing.assert_allclose(e.grad_output, [-0.05, 0.0], atol=1e-12)
    np.testing.assert_allclose(r.grad_output, [-0.05, 0.0], atol=1e-12)
    np.testing.assert_array_equal(r.local_derivative, [1.0, 0.0])
    np.testing.assert_allclose(r.grad_z, [-0.05, 0.0], atol=1e-12)
    # dL/dW = x^T @ dL/dz: row i is x_i * [-0.05, 0]
    hand_dw = [[-0.05, 0.0], [-0.025, 0.0], [0.05, 0.0], [-0.1, 0.0]]
    np.testing.assert_allclose(r.grad_weight, hand_dw, atol=1e-12)
    np.testing.assert_allclose(r.grad_bias, [-0.05, 0.0], atol=1e-12)
    # dL/dx = dL/dz @ W^T = -0.05 * [0.2, -0.1, 0.3, 0.5] = [-0.01, 0.005, -0.015, -0.025]
    np.testing.assert_allclose(r.grad_input, [-0.01, 0.005, -0.015, -0.025], atol=1e-12)

    # the textbook formulas on explain's own numbers
    x, dz, w = np.array(X), r.grad_z, np.array(W)
    np.testing.assert_allclose(r.grad_z, r.grad_output * r.local_derivative, atol=1e-15)
    np.testing.assert_allclose(r.grad_weight, np.outer(x, dz), atol=1e-15)
    np.testing.assert_allclose(r.grad_input, dz @ w.T, atol=1e-15)

    # a separate autograd pass gives the same gradients
    target = gn.tensor([T], dtype=gn.float64)
    loss, grads = autograd_grads(model, X, lambda out: F.mse_loss(out, target))
    assert e.loss == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose(r.grad_weight, grads["0.weight"], rtol=1e-12, atol=0)
    np.testing.assert_allclose(r.grad_bias, grads["0.bias"], rtol=1e-12, atol=0)


def test_two_node_text_reads_like_the_tutorial():
    text = str(explain(two_node(), X, y=T))
    for line in [
        "z1 = 1.0*0.2 + 0.5*(-0.1) + (-1.0)*0.3 + 2.0*0.5 + 0.1 = 0.95",
        "z2 = 1.0*(-0.5) + 0.5*0.4 + (-1.0)*0.2 + 2.0*(-0.3) + (-0.2) = -1.3",
        "z = [0.95, -1.3]",
        "a = relu(z) = max(0, z) = [0.95, 0.0]",
        "L = mean((y - t)^2) = ((0.95 - 1.0)^2 + (0.0 - 0.0)^2) / 2 = 0.00125",
        "dL/dy = 2 * (y - t) / 2 = [-0.05, 0.0]",
        "da/dz = relu'(z) = 1 where z > 0, else 0 = [1.0, 0.0]",
        "dL/dz = dL/da * da/dz = [-0.05, 0.0]",
        "dL/dx = dL/dz @ W^T = [-0.01, 0.005, -0.015, -0.025]",
        "0.weight[0, 0]: 0.2 - 0.1 * (-0.05) = 0.205",
    ]:
        assert line in text, line
    titles = ["Forward pass", "Loss", "Backward pass (chain rule, from the output back)",
              "One gradient-descent step"]
    positions = [text.index(f"\n{title}\n") for title in titles]
    assert positions == sorted(positions)
    assert text.isascii()


def test_sgd_step_is_w_minus_lr_times_gradient():
    model = two_node()
    e = explain(model, X, y=T, lr=0.5)
    names = [change.name for change in e.sgd.changes]
    assert names == ["0.weight", "0.bias"]
    params = dict(model.named_parameters())
    for change in e.sgd.changes:
        np.testing.assert_array_equal(change.old, params[change.name].data)
        np.testing.assert_allclose(change.new, change.old - 0.5 * change.grad, rtol=1e-15)
    # W11: 0.2 - 0.5 * (-0.05) = 0.225; W12 has gradient 0 (the ReLU was off): unchanged
    assert e.sgd.changes[0].new[0, 0] == pytest.approx(0.225, rel=1e-12)
    assert e.sgd.changes[0].new[0, 1] == -0.5
    assert "0.weight[0, 0]: 0.2 - 0.5 * (-0.05) = 0.225" in str(e)
    # after the step: z1 = 0.95 - 0.5 * dL/dz1 * (|x|^2 + 1) = 0.95 + 0.025 * 7.25 = 1.13125
    # L = (1.13125 - 1)^2 / 2
    assert e.sgd.loss_after == pytest.approx((1.13125 - 1.0) ** 2 / 2, rel=1e-9)


def test_two_node_example_prints_the_tutorial_numbers():
    text = explain_example("two-node")
    assert "0.95" in text and "-1.3" in text and "0.0" in text
    assert "z1 = 1.0*0.2 + 0.5*(-0.1) + (-1.0)*0.3 + 2.0*0.5 + 0.1 = 0.95" in text
    assert "z = [0.95, -1.3]" in text
    assert "a = relu(z) = max(0, z) = [0.95, 0.0]" in text
    assert "dL/dz = dL/da * da/dz = [-0.05, 0.0]" in text
    assert text.isascii()
    model, x, y, loss = example_network("two-node")     # the library default: float32
    e = explain(model, x, y, loss=loss)
    np.testing.assert_allclose(e.records[0].z, [0.95, -1.3], rtol=1e-6)
    assert e.records[0].z.dtype == np.float32


# ----------------------------------------------------------------------------- XOR, 2 layers


def test_xor_forward_and_backward_equal_hand_autograd_and_textbook():
    model = xor_net()
    e = explain(model, [1.0, 0.0], y=[1.0], loss="binary_crossentropy")
    hidden, out = e.records
    # hidden: z = [1*4 + 0*4 - 2, 1*(-4) + 0*(-4) + 6] = [2, 2]; a = sigmoid(2) = 0.8808
    np.testing.assert_allclose(hidden.z, [2.0, 2.0], rtol=1e-12)
    a1 = sigmoid([2.0, 2.0])
    np.testing.assert_allclose(hidden.output, a1, rtol=1e-12)
    # output: z = 4 * 0.8808 + 4 * 0.8808 - 6 = 1.0464; p = sigmoid(1.0464) = 0.7401
    z2 = 8 * a1[0] - 6
    np.testing.assert_allclose(out.z, [z2], rtol=1e-12)
    p = sigmoid(z2)
    np.testing.assert_allclose(out.output, [p], rtol=1e-12)
    # BCE with t = 1: L = -ln(p) = 0.3010
    assert e.loss == pytest.approx(-math.log(p), rel=1e-9)

    # backward by hand (the tutorial's formulas):
    # dz2 = p - t; dW2 = a1^T dz2; db2 = dz2; da1 = dz2 @ W2^T; dz1 = da1 * a1 (1 - a1)
    dz2 = p - 1.0
    np.testing.assert_allclose(out.grad_z, [dz2], rtol=1e-6)
    np.testing.assert_allclose(out.local_derivative, [p * (1 - p)], rtol=1e-12)
    np.testing.assert_allclose(out.grad_weight, np.outer(a1, [dz2]), rtol=1e-6)
    np.testing.assert_allclose(out.grad_bias, [dz2], rtol=1e-6)
    da1 = dz2 * np.array(W2).T[0]
    np.testing.assert_allclose(out.grad_input, da1, rtol=1e-6)
    np.testing.assert_allclose(hidden.grad_output, da1, rtol=1e-6)
    dz1 = da1 * a1 * (1 - a1)
    np.testing.assert_allclose(hidden.local_derivative, a1 * (1 - a1), rtol=1e-12)
    np.testing.assert_allclose(hidden.grad_z, dz1, rtol=1e-6)
    np.testing.assert_allclose(hidden.grad_weight, np.outer([1.0, 0.0], dz1), rtol=1e-6)

    # the textbook chain rule on explain's own numbers
    for r in e.records:
        np.testing.assert_allclose(r.grad_z, r.grad_output * r.local_derivative, rtol=1e-12)
        np.testing.assert_allclose(r.grad_weight, np.outer(r.input, r.grad_z), rtol=1e-12)
        np.testing.assert_allclose(r.grad_input, r.grad_z @ r.weight.T, rtol=1e-12)

    # a separate autograd pass
    target = gn.tensor([[1.0]], dtype=gn.float64)
    loss, grads = autograd_grads(model, [1.0, 0.0],
                                 lambda out: F.binary_cross_entropy(out, target))
    assert e.loss == pytest.approx(loss, rel=1e-9)
    for record, prefix in ((hidden, "0"), (out, "1")):
        np.testing.assert_allclose(record.grad_weight, grads[f"{prefix}.weight"], rtol=1e-9)
        np.testing.assert_allclose(record.grad_bias, grads[f"{prefix}.bias"], rtol=1e-9)


def test_xor_gradients_match_torch():
    torch = pytest.importorskip("torch")
    e = explain(xor_net(), [1.0, 0.0], y=[1.0], loss="binary_crossentropy")
    params = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (W1, B1, W2, B2)]
    w1, b1, w2, b2 = params
    x = torch.tensor([[1.0, 0.0]], dtype=torch.float64)
    p = torch.sigmoid(torch.sigmoid(x @ w1 + b1) @ w2 + b2)
    loss = torch.nn.functional.binary_cross_entropy(p, torch.ones(1, 1, dtype=torch.float64))
    loss.backward()
    assert e.loss == pytest.approx(loss.item(), rel=1e-9)
    hidden, out = e.records
    for mine, theirs in ((hidden.grad_weight, w1), (hidden.grad_bias, b1),
                         (out.grad_weight, w2), (out.grad_bias, b2)):
        np.testing.assert_allclose(mine, theirs.grad.numpy(), rtol=1e-9)


def test_xor_example_weights_solve_xor_and_the_text_shows_every_step():
    model, _, _, _ = example_network("xor")
    p = model(gn.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])).data.ravel()
    np.testing.assert_allclose(p, [0.1776, 0.7401, 0.7401, 0.1776], atol=1e-4)
    text = explain_example("xor")
    for line in [
        "z1 = 1.0*4.0 + 0.0*4.0 + (-2.0) = 2.0",
        "a = sigmoid(z) = 1 / (1 + e^-z) = [0.8808, 0.8808]",
        "z1 = 0.8808*4.0 + 0.8808*4.0 + (-6.0) = 1.0464",
        "L = -(t*ln(p) + (1 - t)*ln(1 - p)) = -(1.0*ln(0.7401) + 0.0*ln(0.2599)) = 0.301",
        "da/dz = sigmoid'(z) = a * (1 - a) = [0.1924]",
        "(with this loss the two steps simplify: dL/dz = p - t = [-0.2599])",
        "1.bias[0]: -6.0 - 0.1 * (-0.2599) = -5.974",
    ]:
        assert line in text, line
    assert re.search(r"Loss on this input: 0\.301 before the step, 0\.2797 after it", text)
    assert text.isascii()


# ----------------------------------------------------------------------------- the model is kept


def test_explain_does_not_modify_the_model():
    model = nn.Sequential(nn.Linear(3, 4, rng=0), nn.ReLU(), nn.Dropout(0.5),
                          nn.BatchNorm1d(4), nn.Linear(4, 2, rng=1), nn.Softmax())
    model.train()
    state = {k: v.copy() for k, v in model.state_dict().items()}
    explain(model, [0.5, -1.0, 2.0], y=1, optimizer="adam")
    for key, value in model.state_dict().items():      # weights and running statistics
        np.testing.assert_array_equal(value, state[key])
    assert all(p.grad is None for p in model.parameters())
    assert all(m.training for m in model.modules())     # training mode restored
    assert all("forward" not in vars(m) for m in model.modules())   # no hook left behind

    model.eval()
    first = next(model.parameters())
    first.grad = np.full_like(first.data, 7.0)          # a gradient the user had: kept
    explain(model, [0.5, -1.0, 2.0], y=1)
    assert not any(m.training for m in model.modules())
    np.testing.assert_array_equal(first.grad, np.full_like(first.data, 7.0))


def test_compiled_model_uses_its_loss_and_optimizer_without_changing_them():
    gn.seed(0)
    model = nn.Sequential([nn.Dense(3, activation="tanh", input_shape=(2,)),
                           nn.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    model.fit(rng.normal(size=(12, 2)), np.arange(12) % 3, epochs=2, verbose=0)
    opt = model._keras().optimizer
    opt_state = {i: {k: np.array(v, copy=True) for k, v in s.items()}
                 for i, s in opt.state_dict()["state"].items()}
    weights = [p.data.copy() for p in model.parameters()]

    e = model.explain(np.array([0.5, -1.0]), 2)

    assert e.loss_name == "sparse_categorical_crossentropy"
    assert e.loss_rule == "the loss the model was compiled with"
    p = e.output
    assert e.loss == pytest.approx(-math.log(p[2]), rel=1e-5)
    # softmax + cross-entropy: dL/dz = p - onehot(2)
    np.testing.assert_allclose(e.records[-1].grad_z, p - [0, 0, 1], atol=1e-6)
    own = e.optimizer_step
    assert own.name == "Adam (lr = 0.001)"
    # the step equals one Adam step taken here on copies, from the same state
    for change, param in zip(own.changes, model.parameters()):
        np.testing.assert_array_equal(change.old, param.data)
    for weight, param in zip(weights, model.parameters()):
        np.testing.assert_array_equal(weight, param.data)
    for i, saved in opt_state.items():
        for key, value in opt.state_dict()["state"][i].items():
            np.testing.assert_array_equal(value, saved[key])


def test_adam_first_step_moves_each_weight_by_about_lr():
    model = xor_net()
    opt = optim.Adam(model.parameters(), lr=0.05)
    e = explain(model, [1.0, 0.0], y=[1.0], optimizer=opt)
    assert not opt.state                                # the real optimizer took no step
    for change in e.optimizer_step.changes:
        moved = change.new - change.old
        has_grad = np.abs(change.grad) > 1e-6
        np.testing.assert_allclose(moved[has_grad], -0.05 * np.sign(change.grad[has_grad]),
                                   rtol=1e-4)
    assert "Adam's first step" in str(e)


def test_named_sgd_optimizer_step_equals_the_plain_step():
    e = explain(xor_net(), [1.0, 0.0], y=[1.0], optimizer="sgd", lr=0.3)
    for plain, own in zip(e.sgd.changes, e.optimizer_step.changes):
        np.testing.assert_allclose(own.new, plain.new, rtol=1e-12)
    assert e.optimizer_step.loss_after == pytest.approx(e.sgd.loss_after, rel=1e-12)


# ----------------------------------------------------------------------------- custom modules


def test_custom_module_xornet_with_a_shared_activation():
    net = XORNet()
    e = explain(net, [1.0, 0.0], y=[1.0])
    assert [(r.name, r.layer_type, r.call) for r in e.records] == [
        ("layer1", "Linear", 1), ("activation", "Sigmoid", 1),
        ("layer2", "Linear", 1), ("activation", "Sigmoid", 2)]
    assert e.loss_name == "binary_crossentropy"       # chosen: the output ends in a sigmoid
    target = gn.tensor([[1.0]], dtype=gn.float64)
    _, grads = autograd_grads(net, [1.0, 0.0], lambda out: F.binary_cross_entropy(out, target))
    np.testing.assert_allclose(e.records[0].grad_weight, grads["layer1.weight"], rtol=1e-9)
    np.testing.assert_allclose(e.records[2].grad_weight, grads["layer2.weight"], rtol=1e-9)
    # the Sigmoid module's records: dL/dz = dL/da * a * (1 - a)
    for r in (e.records[1], e.records[3]):
        np.testing.assert_allclose(r.local_derivative, r.output * (1 - r.output), rtol=1e-12)
        np.testing.assert_allclose(r.grad_z, r.grad_output * r.local_derivative, rtol=1e-12)
    # the Sigmoid's input is layer1's z, its output is layer2's input
    np.testing.assert_array_equal(e.records[1].input, e.records[0].output)
    np.testing.assert_array_equal(e.records[2].input, e.records[1].output)
    assert "Layer 4 (activation): Sigmoid, call 2" in str(e)
    assert all("forward" not in vars(m) for m in net.modules())


def test_nested_sequentials_are_walked_layer_by_layer():
    model = nn.Sequential(nn.Sequential(nn.Linear(2, 3, rng=0), nn.ReLU()), nn.Linear(3, 1, rng=1))
    e = explain(model, [1.0, 2.0], y=[0.0])
    assert [(r.name, r.kind) for r in e.records] == [
        ("0.0", "linear"), ("0.1", "activation"), ("1", "linear")]
    assert [c.name for c in e.sgd.changes] == ["0.0.weight", "0.0.bias", "1.weight", "1.bias"]


def test_functional_activation_inside_forward_is_noted_and_gradients_still_match():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(4, 3, rng=0, dtype="float64")
            self.out = nn.Linear(3, 1, rng=1, dtype="float64")

        def forward(self, x):
            return self.out(F.relu(self.fc1(x)))

    net = Net()
    e = explain(net, X, y=[0.3])
    assert [r.name for r in e.records] == ["fc1", "out"]
    assert "ReLU" in e.records[1].note
    np.testing.assert_array_equal(e.records[1].input, np.maximum(e.records[0].output, 0))
    target = gn.tensor([[0.3]], dtype=gn.float64)
    _, grads = autograd_grads(net, X, lambda out: F.mse_loss(out, target))
    np.testing.assert_allclose(e.records[0].grad_weight, grads["fc1.weight"], rtol=1e-9)


def test_keras_style_model_wrapper_with_a_custom_module():
    model = Model(XORNet())
    model.compile(optimizer=optim.SGD(learning_rate=0.2), loss="mse")
    e = explain(model, [0.0, 1.0], y=[1.0])
    assert (e.loss_name, e.loss_rule) == ("mean_squared_error",
                                          "the loss the model was compiled with")
    assert e.loss == pytest.approx((e.output[0] - 1.0) ** 2, rel=1e-12)
    assert e.optimizer_step.name == "SGD (lr = 0.2)"
    for change in e.optimizer_step.changes:
        np.testing.assert_allclose(change.new, change.old - 0.2 * change.grad, rtol=1e-12)
    # loss= given explicitly wins over the compiled one
    assert explain(model, [0.0, 1.0], y=[1.0], loss="mae").loss_name == "mean_absolute_error"


# ----------------------------------------------------------------------------- layers and losses


def test_layers_without_arithmetic_still_get_autograd_gradients():
    gn.seed(0)
    cnn = nn.Sequential([nn.Conv2D(2, 3, activation="relu"), nn.MaxPool2D(2), nn.Flatten(),
                         nn.Dense(3, activation="softmax")])
    x = np.linspace(-1, 1, 36).reshape(1, 6, 6, 1)
    e = explain(cnn, x, y=1)
    assert [r.kind for r in e.records] == ["other", "other", "flatten", "linear"]
    assert e.loss_name == "sparse_categorical_crossentropy"
    _, grads = autograd_grads(cnn, x[0], lambda out: -out[0, 1].log())
    np.testing.assert_allclose(e.records[0].grad_params["weight"], grads["0.weight"].ravel(),
                               rtol=1e-4, atol=1e-7)
    assert "Conv2D.forward (no step-by-step arithmetic" in str(e)


def test_dropout_and_batch_norm_are_explained_in_evaluation_mode():
    bn = nn.BatchNorm1d(2, dtype="float64")
    bn.running_mean[...] = [1.0, -1.0]
    bn.running_var[...] = [4.0, 0.25]
    bn.weight.data[...] = [2.0, 1.0]
    bn.bias.data[...] = [0.5, 0.0]
    model = nn.Sequential(nn.Dropout(0.4), bn)
    e = explain(model, [3.0, 0.0], y=[0.0, 0.0])
    drop, norm = e.records
    assert (drop.kind, norm.kind) == ("dropout", "batch_norm")
    np.testing.assert_array_equal(drop.output, [3.0, 0.0])          # identity
    # y = gamma * (x - mean) / sqrt(var + eps) + beta
    # unit 1: 2 * (3 - 1) / sqrt(4 + 1e-5) + 0.5 = 2.5; unit 2: (0 + 1) / sqrt(0.25 + 1e-5)
    expected = [2 * 2 / math.sqrt(4 + 1e-5) + 0.5, 1 / math.sqrt(0.25 + 1e-5)]
    np.testing.assert_allclose(norm.output, expected, rtol=1e-12)
    # dL/dx = dL/dy * gamma / sqrt(var + eps); dropout passes it through
    np.testing.assert_allclose(norm.grad_input,
                               norm.grad_output * [2.0, 1.0] / np.sqrt([4 + 1e-5, 0.25 + 1e-5]),
                               rtol=1e-12)
    np.testing.assert_array_equal(drop.grad_input, drop.grad_output)
    _, grads = autograd_grads(model, [3.0, 0.0], lambda out: F.mse_loss(
        out, gn.tensor([[0.0, 0.0]], dtype=gn.float64)))
    np.testing.assert_allclose(norm.grad_params["weight"], grads["1.weight"], rtol=1e-12)
    text = str(e)
    assert "in evaluation mode it passes every value through unchanged" in text
    assert "running_mean = [1.0, -1.0]" in text


def test_activation_layers_local_derivatives_follow_the_textbook():
    model = nn.Sequential(nn.Linear(2, 3, rng=0, dtype="float64"), nn.Tanh(),
                          nn.Linear(3, 3, rng=1, dtype="float64"), nn.ReLU(),
                          nn.Linear(3, 1, rng=2, dtype="float64"))
    e = explain(model, [0.7, -1.2], y=[2.0])
    tanh, relu = e.records[1], e.records[3]
    np.testing.assert_allclose(tanh.local_derivative, 1 - tanh.output ** 2, rtol=1e-12)
    np.testing.assert_array_equal(relu.local_derivative, (relu.input > 0).astype(float))
    for r in (tanh, relu):
        np.testing.assert_allclose(r.grad_z, r.grad_output * r.local_derivative, rtol=1e-12)
    assert "da/dz = tanh'(z) = 1 - a^2 = " in str(e)


@pytest.mark.parametrize("head, y, name, expected", [
    # softmax output and a class label: L = -ln(p[label])
    (nn.Softmax(), 2, "sparse_categorical_crossentropy", lambda p, z: -math.log(p[2])),
    # softmax output and a one-hot target: L = -sum t ln p
    (nn.Softmax(), [0.0, 1.0, 0.0], "categorical_crossentropy", lambda p, z: -math.log(p[1])),
    # logits and a class label: PyTorch's cross-entropy, L = -ln(softmax(z)[label])
    (nn.Identity(), 0, "cross_entropy",
     lambda p, z: -(z[0] - math.log(np.exp(z).sum()))),
    # regression-shaped: MSE
    (nn.Identity(), [0.1, 0.2, 0.3], "mean_squared_error",
     lambda p, z: float(np.mean((p - [0.1, 0.2, 0.3]) ** 2))),
])
def test_default_loss_is_chosen_from_the_output(head, y, name, expected):
    model = nn.Sequential(nn.Linear(2, 3, rng=0, dtype="float64"), head)
    e = explain(model, [1.0, -1.0], y=y)
    assert e.loss_name == name
    assert e.loss_rule.startswith("chosen by explain")
    assert e.loss == pytest.approx(expected(e.output, e.records[0].z), rel=1e-9)


def test_loss_argument_accepts_nn_loss_modules_and_functions():
    model = two_node()
    by_module = explain(model, X, y=T, loss=nn.MSELoss())
    by_function = explain(model, X, y=T, loss=F.mse_loss)
    assert by_module.loss == pytest.approx(0.00125, rel=1e-9)
    assert by_function.loss == pytest.approx(0.00125, rel=1e-9)
    assert (by_module.loss_name, by_function.loss_name) == ("MSELoss", "mse_loss")
    np.testing.assert_allclose(by_module.records[0].grad_weight,
                               by_function.records[0].grad_weight, rtol=1e-12)


# ----------------------------------------------------------------------------- summaries


def test_wide_layer_is_summarised_and_show_all_shows_everything():
    model = nn.Sequential(nn.Linear(10, 6, rng=0))
    x = np.arange(10) / 10
    short = str(explain(model, x))
    assert "z1 = " in short and "z2 = " in short and "z3 = " not in short
    assert "... (4 more units)" in short
    assert "... (6 more terms)" in short                  # 10 inputs: first 4 terms shown
    full = str(explain(model, x, show_all=True))
    assert all(f"z{j} = " in full for j in range(1, 7))
    assert "more units" not in full and "more terms" not in full
    assert "(4 more)" not in full


def test_forward_only_without_a_target():
    e = explain(two_node(), X)
    assert e.loss is None and e.sgd is None and e.grad_output is None
    assert e.records[0].grad_weight is None
    text = str(e)
    assert "Backward pass" not in text and "Give a target" in text


def test_to_dict_is_json_ready():
    e = explain(xor_net(), [1.0, 0.0], y=[1.0])
    d = json.loads(json.dumps(e.to_dict()))
    assert isinstance(e, Explanation)
    assert d["loss_name"] == "binary_crossentropy"
    assert d["records"][0]["weight"] == W1
    np.testing.assert_array_equal(d["records"][1]["grad_weight"], e.records[1].grad_weight)
    assert d["sgd"]["changes"][0]["name"] == "0.weight"
    assert all(isinstance(v, float) for v in d["records"][0]["z"])


def test_several_rows_explain_the_first_and_say_so():
    rows = np.array([X, [0.0, 0.0, 0.0, 0.0]])
    e = explain(two_node(), rows, y=np.array([T, [9.0, 9.0]]))
    np.testing.assert_array_equal(e.input, X)
    np.testing.assert_array_equal(e.target, T)              # the first row's target
    assert e.notes == ["x has 2 rows; explaining the first one (row 0)"]
    assert "Note: x has 2 rows" in str(e)


def test_explain_row_wants_one_row():
    e = explain_row(two_node(), np.array([X]), np.array(T))
    np.testing.assert_allclose(e.records[0].z, [0.95, -1.3], rtol=1e-12)
    with pytest.raises(ValueError, match=r"explain_row: expected one row .* shape \(2, 4\)"):
        explain_row(two_node(), np.zeros((2, 4)))
    # a class label read from a CSV as a float: 2.0 is class 2
    classifier = nn.Sequential(nn.Linear(4, 3, rng=0), nn.Softmax())
    e = explain_row(classifier, np.array(X), 2.0)
    assert e.loss_name == "sparse_categorical_crossentropy"
    assert e.target.tolist() == [2]
    assert e.loss == pytest.approx(-math.log(e.output[2]), rel=1e-5)


# ----------------------------------------------------------------------------- the perceptron


def test_perceptron_example_shows_convergence_on_and():
    text = explain_example("perceptron")
    # epoch 1, sample [0, 0]: z = 0*0 + 0*0 + 0 = 0 >= 0 -> predicts 1, error 0 - 1 = -1,
    # so b = 0 + 0.1 * (-1) = -0.1 (w stays 0 because x = 0)
    assert ("x = [0.0, 0.0], y = 0: z = 0.0*0.0 + 0.0*0.0 + 0.0 = 0.0 -> prediction 1, "
            "error -1; w = w + 0.1*(-1)*x = [0.0, 0.0], b = b + 0.1*(-1) = -0.1") in text
    # mistakes per epoch, as Perceptron.errors_ says for AND: 2, 3, 3, 2, 1, 0
    mistakes = [int(m) for m in re.findall(r"(\d+) mistakes? in epoch", text)]
    assert mistakes == [2, 3, 3, 2, 1, 0]
    assert text.rstrip().endswith("Converged in epoch 6: w = [0.2, 0.1], b = -0.3; "
                                  "predictions for AND: [0, 0, 0, 1]")
    assert text.isascii()


def test_examples_are_ascii_and_unknown_names_are_listed():
    assert EXAMPLES == ("two-node", "xor", "perceptron")
    assert explain_example("two_node") == explain_example("two-node")
    with pytest.raises(ValueError, match="Unknown example 'mnist'. Valid names: two-node, xor, "
                                         "perceptron"):
        explain_example("mnist")


# ----------------------------------------------------------------------------- bad input


def test_wrong_number_of_features_names_the_layer():
    with pytest.raises(ValueError, match=r"explain: layer '0' \(Dense\) cannot take its input:"
                                         r" .*expected input with 4 features, received shape "
                                         r"\(1, 3\)"):
        explain(two_node(), [1.0, 2.0, 3.0])
    net = XORNet()
    with pytest.raises(ValueError, match=r"layer 'layer1' \(Linear\).*expected input with 2 "
                                         r"features"):
        explain(net, [1.0, 2.0, 3.0], y=[1.0])
    # the failed call left no hook behind and restored the training mode
    assert all("forward" not in vars(m) and m.training for m in net.modules())


@pytest.mark.parametrize("kwargs, error, message", [
    ({"x": [1.0, np.nan, 0.0, 0.0]}, ValueError, r"x contains NaN or inf \(column 1"),
    ({"x": 3.0}, ValueError, r"x must be one sample, shape \(features,\)"),
    ({"x": ["a", "b", "c", "d"]}, TypeError, "x must hold numbers"),
    ({"y": [1.0, 0.0, 1.0]}, ValueError, r"y has 3 values but the model's output has 2"),
    ({"y": [np.inf, 0.0]}, ValueError, "y must be finite"),
    ({"y": T, "lr": 0}, ValueError, "lr must be a positive number, received 0"),
    ({"precision": 0}, ValueError, "precision must be an integer >= 1"),
    ({"y": T, "loss": "mean_squarred_error"}, ValueError, "Unknown loss"),
    ({"y": T, "optimizer": "adamm"}, ValueError, "unknown optimizer 'adamm'. Valid names: adagrad"),
    ({"y": 5, "loss": "sparse_categorical_crossentropy"}, ValueError,
     r"needs one class label in \[0, 1\]"),
    ({"y": [2.0, 0.0], "loss": "binary_crossentropy"}, ValueError, r"targets in \[0, 1\]"),
])
def test_bad_input_is_reported_clearly(kwargs, error, message):
    arguments = {"x": X, "y": None, **kwargs}
    with pytest.raises(error, match=message):
        explain(two_node(), **arguments)


def test_something_that_is_not_a_model_is_a_type_error():
    with pytest.raises(TypeError, match="explain: expected a glassnet model .* received list"):
        explain([1, 2], X)

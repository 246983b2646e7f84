"""Initialisers: the variance each promises, seeding, names, and why zeros cannot learn."""

import math

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn
from glassnet.nn import init

FAN_IN, FAN_OUT = 600, 400          # weight (in, out) = (600, 400): 240,000 draws

# initialiser, expected standard deviation, expected bound (None: unbounded normal)
VARIANCE_CASES = [
    ("xavier_uniform", lambda t: init.xavier_uniform_(t, rng=0),
     math.sqrt(2 / (FAN_IN + FAN_OUT)), math.sqrt(6 / (FAN_IN + FAN_OUT))),
    ("xavier_normal", lambda t: init.xavier_normal_(t, rng=0),
     math.sqrt(2 / (FAN_IN + FAN_OUT)), None),
    ("kaiming_uniform", lambda t: init.kaiming_uniform_(t, rng=0),
     math.sqrt(2 / FAN_IN), math.sqrt(6 / FAN_IN)),
    ("kaiming_normal", lambda t: init.kaiming_normal_(t, rng=0), math.sqrt(2 / FAN_IN), None),
    ("kaiming_normal_fan_out", lambda t: init.kaiming_normal_(t, mode="fan_out", rng=0),
     math.sqrt(2 / FAN_OUT), None),
    ("kaiming_uniform_tanh", lambda t: init.kaiming_uniform_(t, nonlinearity="tanh", rng=0),
     (5 / 3) / math.sqrt(FAN_IN), (5 / 3) * math.sqrt(3 / FAN_IN)),
    ("pytorch_linear_default", lambda t: init.kaiming_uniform_(t, a=math.sqrt(5), rng=0),
     1 / math.sqrt(FAN_IN) / math.sqrt(3), 1 / math.sqrt(FAN_IN)),
    ("small_random", lambda t: init.small_random_(t, rng=0), 0.01, None),
    ("normal", lambda t: init.normal_(t, 0.0, 0.3, rng=0), 0.3, None),
    ("uniform", lambda t: init.uniform_(t, -0.5, 0.5, rng=0), 1 / math.sqrt(12), 0.5),
    ("keras_random_normal", lambda t: init.get_initializer("random_normal")(t, rng=0), 0.05,
     None),
]


@pytest.mark.parametrize("case", VARIANCE_CASES, ids=[c[0] for c in VARIANCE_CASES])
def test_initializer_variance(case):
    _, fill, std, bound = case
    weight = nn.Parameter(np.zeros((FAN_IN, FAN_OUT), dtype=np.float32))
    assert fill(weight) is weight
    assert weight.dtype == np.float32                  # filled in place, dtype kept
    assert abs(weight.data.mean()) < 0.01 * std * 10
    assert weight.data.std() == pytest.approx(std, rel=0.01)
    if bound is not None:
        assert np.abs(weight.data).max() <= bound


def test_fans_follow_the_in_out_layout():
    assert init.compute_fans((4, 2)) == (4, 2)
    assert init.compute_fans((3, 3, 16, 32)) == (3 * 3 * 16, 3 * 3 * 32)
    assert init.compute_fans((5,)) == (5, 5)
    with pytest.raises(ValueError, match=r"0-d tensor"):
        init.compute_fans(())
    # He: the variance depends on shape[0] (the inputs), not shape[1]
    tall = init.kaiming_normal_(np.zeros((2000, 10)), rng=0)
    assert tall.std() == pytest.approx(math.sqrt(2 / 2000), rel=0.05)


def test_constants():
    t = gn.zeros(2, 3)
    np.testing.assert_array_equal(init.ones_(t).data, np.ones((2, 3)))
    np.testing.assert_array_equal(init.constant_(t, 0.25).data, np.full((2, 3), 0.25))
    np.testing.assert_array_equal(init.zeros_(t).data, np.zeros((2, 3)))


def test_same_seed_same_weights():
    a = init.xavier_uniform_(gn.zeros(5, 5), rng=3)
    b = init.xavier_uniform_(gn.zeros(5, 5), rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a.data, b.data)
    gn.seed(11)
    c = init.he_normal(gn.zeros(5, 5))
    gn.seed(11)
    np.testing.assert_array_equal(init.he_normal(gn.zeros(5, 5)).data, c.data)


def test_float64_is_kept():
    assert init.xavier_normal_(gn.zeros(3, 3, dtype=gn.float64), rng=0).dtype == np.float64


def test_keras_names_and_aliases():
    assert init.get_initializer("glorot_uniform") is init.xavier_uniform_
    assert init.get_initializer("GlorotNormal") is init.xavier_normal_
    assert init.get_initializer("he_uniform") is init.kaiming_uniform_ is init.he_uniform
    assert init.get_initializer("zeros") is init.zeros_
    custom = lambda tensor, rng=None: tensor  # noqa: E731
    assert init.get_initializer(custom) is custom
    assert init.initializer_name(init.xavier_uniform_) == "glorot_uniform"


def test_unknown_initializer_lists_valid_names():
    with pytest.raises(ValueError, match=r"Unknown initializer 'xavier'. Valid names: "
                                         r"glorot_normal, glorot_uniform, he_normal, .*zeros"):
        init.get_initializer("xavier")
    with pytest.raises(TypeError, match=r"a name or a callable, received int"):
        init.get_initializer(3)


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"std must be >= 0, received -1"):
        init.normal_(gn.zeros(2), std=-1)
    with pytest.raises(ValueError, match=r"need a <= b, received a=1, b=0"):
        init.uniform_(gn.zeros(2), 1, 0)
    with pytest.raises(ValueError, match=r"mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_uniform_(gn.zeros(2, 2), mode="fan_avg")
    with pytest.raises(ValueError, match=r"unknown nonlinearity 'softmax'"):
        init.calculate_gain("softmax")
    with pytest.raises(TypeError, match=r"expected a Parameter, Tensor or NumPy array"):
        init.zeros_([1.0, 2.0])


def _train_or(kernel_initializer, steps=30):
    """A 2-2-1 sigmoid net on OR, plain gradient descent; returns the two layers.

    (OR rather than XOR: with all-zero weights XOR's balanced targets give exactly zero
    gradients everywhere, so nothing would move at all.)
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = gn.tensor([[0], [1], [1], [1]], dtype=gn.float64)
    hidden = nn.Dense(2, activation="sigmoid", kernel_initializer=kernel_initializer,
                      input_dim=2, rng=0, dtype="float64")
    out = nn.Dense(1, kernel_initializer=kernel_initializer, input_dim=2, rng=1,
                   dtype="float64")
    model = nn.Sequential(hidden, out)
    for _ in range(steps):
        model.zero_grad()
        loss = gn.functional.binary_cross_entropy_with_logits(model(X), y)
        loss.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad
    return hidden, out


def test_zeros_cannot_break_symmetry():
    hidden, out = _train_or("zeros")
    W1, W2 = hidden.weight.data, out.weight.data
    # the weights did move: learning happens ...
    assert np.abs(W2).max() > 0.1 and np.abs(W1).max() > 0.01
    # ... but both hidden units get identical gradients, so they stay identical copies
    np.testing.assert_array_equal(W1[:, 0], W1[:, 1])
    np.testing.assert_array_equal(hidden.bias.data[0], hidden.bias.data[1])
    np.testing.assert_array_equal(W2[0], W2[1])


def test_xavier_breaks_symmetry():
    hidden, out = _train_or("glorot_uniform")
    W1 = hidden.weight.data
    assert np.abs(W1[:, 0] - W1[:, 1]).max() > 0.1
    assert abs(out.weight.data[0, 0] - out.weight.data[1, 0]) > 0.1

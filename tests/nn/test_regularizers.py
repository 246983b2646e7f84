"""Regularizers: Keras's exact penalties, names, and their gradients."""

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn
from glassnet.nn import regularizers

W = [[1.0, -2.0], [3.0, 4.0]]      # sum |w| = 10, sum w^2 = 1 + 4 + 9 + 16 = 30


def test_exact_penalties():
    w = gn.tensor(W, dtype=gn.float64)
    assert nn.L1(0.1)(w).item() == pytest.approx(1.0, rel=1e-12)           # 0.1 * 10
    assert nn.L2(0.01)(w).item() == pytest.approx(0.3, rel=1e-12)          # 0.01 * 30, no 1/2
    assert nn.L1L2(l1=0.1, l2=0.01)(w).item() == pytest.approx(1.3, rel=1e-12)
    assert nn.L1L2()(w).item() == 0.0


def test_keras_defaults_and_names():
    assert nn.L1().l1 == 0.01 and nn.L2().l2 == 0.01
    assert repr(nn.get_regularizer("l1")) == "L1(l1=0.01)"
    assert repr(nn.get_regularizer("L2")) == "L2(l2=0.01)"
    assert repr(nn.get_regularizer("l1_l2")) == "L1L2(l1=0.01, l2=0.01)"
    assert nn.get_regularizer(None) is None
    custom = lambda w: (w * w).sum()  # noqa: E731
    assert nn.get_regularizer(custom) is custom


def test_gradients():
    w = gn.tensor(W, dtype=gn.float64, requires_grad=True)
    nn.L1L2(l1=0.1, l2=0.01)(w).backward()
    # d/dw [0.1 |w| + 0.01 w^2] = 0.1 sign(w) + 0.02 w
    np.testing.assert_allclose(w.grad, 0.1 * np.sign(W) + 0.02 * np.array(W), rtol=1e-12)


def test_config_round_trip():
    for reg in (nn.L1(0.2), nn.L2(0.3), nn.L1L2(0.1, 0.2)):
        rebuilt = nn.get_regularizer(regularizers.regularizer_config(reg))
        assert repr(rebuilt) == repr(reg)


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"Unknown regularizer 'ridge'. Valid names: l1, "
                                         r"l1_l2, l2"):
        nn.get_regularizer("ridge")
    with pytest.raises(TypeError, match=r"None, a name or a callable, received float"):
        nn.get_regularizer(0.01)


def test_negative_factor_is_refused():
    with pytest.raises(ValueError, match=r"L2: l2 must be >= 0, received l2=-0.1"):
        nn.L2(-0.1)
    with pytest.raises(TypeError, match=r"L1: l1 must be a number, received 'a'"):
        nn.L1("a")

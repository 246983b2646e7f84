"""Property test: random stacks of Dense (+ BatchNorm) layers, shapes and gradients."""

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies
ACTIVATION_NAMES = ["relu", "tanh", "sigmoid", "elu", "softplus", "silu", "gelu", "linear",
                    "softmax"]


@hypothesis.settings(max_examples=25, deadline=None, derandomize=True)
@hypothesis.given(batch=st.integers(2, 4), width=st.integers(1, 5),
                  hidden=st.lists(st.tuples(st.integers(1, 5), st.sampled_from(ACTIVATION_NAMES),
                                            st.booleans()), min_size=1, max_size=3),
                  seed=st.integers(0, 1000))
def test_random_dense_stacks_shapes_and_gradients(batch, width, hidden, seed):
    layers = []
    for units, activation, with_batchnorm in hidden:
        layers.append(nn.Dense(units, activation=activation, rng=seed, dtype="float64"))
        if with_batchnorm:
            layers.append(nn.BatchNorm1d(dtype="float64"))
    model = nn.Sequential(layers)
    x_data = np.random.default_rng(seed).uniform(-2, 2, (batch, width))
    x = gn.tensor(x_data, dtype=gn.float64, requires_grad=True)
    out = model(x)
    assert out.shape == (batch, hidden[-1][0])
    weights = np.random.default_rng(seed + 1).standard_normal(out.shape)
    (out * gn.tensor(weights, dtype=gn.float64)).sum().backward()
    assert x.grad.shape == x.shape
    assert all(p.grad.shape == p.shape for p in model.parameters())

    def loss(values):
        with gn.no_grad():
            return float(np.sum(model(gn.tensor(values, dtype=gn.float64)).data * weights))

    direction = np.random.default_rng(seed + 2).standard_normal(x_data.shape)
    h = 1e-6
    numeric = (loss(x_data + h * direction) - loss(x_data - h * direction)) / (2 * h)
    assert np.sum(x.grad * direction) == pytest.approx(numeric, rel=1e-4, abs=1e-6)

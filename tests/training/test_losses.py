"""The loss table: names, Keras's conventions, per-sample values and the fused forms."""

import math

import numpy as np
import pytest

import glassnet as gn
from glassnet.training import losses


def test_every_name_resolves_and_unknown_names_list_the_valid_ones():
    for name in losses.names():
        assert isinstance(losses.get(name), losses.LossSpec)
    with pytest.raises(ValueError, match=r"Unknown loss 'hinge'\. Valid names: bce, "):
        losses.get("hinge")
    with pytest.raises(TypeError, match="A loss name must be a string"):
        losses.get(None)


@pytest.mark.parametrize("name, output, target, expected", [
    ("mse", [[1.0, 3.0]], [[0.0, 0.0]], [5.0]),                       # (1 + 9) / 2
    ("mae", [[1.0, -3.0]], [[0.0, 0.0]], [2.0]),
    ("huber", [[0.5], [3.0]], [[0.0], [0.0]], [0.125, 2.5]),
    ("binary_crossentropy", [[0.8], [0.4]], [[1.0], [0.0]], [-math.log(0.8), -math.log(0.6)]),
    ("bce_with_logits", [[0.0]], [[1.0]], [math.log(2)]),
    ("categorical_crossentropy", [[0.2, 0.8]], [[0.0, 1.0]], [-math.log(0.8)]),
    ("cross_entropy", [[0.0, 0.0]], [1], [math.log(2)]),
])
def test_per_sample_values(name, output, target, expected):
    target = np.array(target)
    spec = losses.get(name)
    per_sample = spec(gn.tensor(output), gn.tensor(target), "none")
    np.testing.assert_allclose(per_sample.numpy(), expected, rtol=1e-6)
    assert spec(gn.tensor(output), gn.tensor(target)).item() == pytest.approx(np.mean(expected),
                                                                                rel=1e-6)


def test_sparse_categorical_crossentropy_on_probabilities_normalises_and_clips_like_keras():
    spec = losses.get("sparse_categorical_crossentropy")
    # rows are normalised to sum 1: [1, 3] -> [0.25, 0.75]
    value = spec(gn.tensor([[1.0, 3.0]]), gn.tensor([1]), "none").numpy()
    np.testing.assert_allclose(value, [-math.log(0.75)], rtol=1e-6)
    # a probability of exactly 0 is clipped to 1e-7 instead of giving inf
    value = spec(gn.tensor([[1.0, 0.0]]), gn.tensor([1]), "none").numpy()
    np.testing.assert_allclose(value, [-math.log(1e-7)], rtol=1e-4)


@pytest.mark.parametrize("name, activation", [
    ("binary_crossentropy", "sigmoid"), ("categorical_crossentropy", "softmax"),
    ("sparse_categorical_crossentropy", "softmax"), ("cross_entropy", "softmax"),
])
def test_fused_form_equals_the_loss_of_the_activation(name, activation):
    rng = np.random.default_rng(0)
    spec = losses.get(name)
    assert spec.fused_activation == activation
    if activation == "sigmoid":
        logits, target = rng.normal(size=(6, 1)), rng.integers(0, 2, (6, 1)).astype(float)
        probabilities = 1 / (1 + np.exp(-logits))
    else:
        logits = rng.normal(size=(6, 3))
        probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        labels = rng.integers(0, 3, 6)
        target = np.eye(3)[labels] if name == "categorical_crossentropy" else labels
    fused = spec.from_logits(gn.tensor(logits), gn.tensor(target), "none").numpy()
    if name == "cross_entropy":  # PyTorch's convention: its input is already logits
        plain = spec(gn.tensor(logits), gn.tensor(target), "none").numpy()
    else:
        plain = spec(gn.tensor(probabilities), gn.tensor(target), "none").numpy()
    np.testing.assert_allclose(fused, plain, rtol=1e-5)

"""nn.utils re-exports the gradient clipping of glassnet.optim.clip (PyTorch's spelling)."""

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn


def test_clipping_is_reexported():
    clip = pytest.importorskip("glassnet.optim.clip")
    assert nn.utils.clip_grad_norm_ is clip.clip_grad_norm_
    assert nn.utils.clip_grad_value_ is clip.clip_grad_value_
    from glassnet.nn.utils import clip_grad_value_

    assert clip_grad_value_ is clip.clip_grad_value_


def test_clip_grad_norm_on_a_module():
    pytest.importorskip("glassnet.optim.clip")
    layer = nn.Linear(2, 1, dtype="float64")
    layer.weight.grad = np.array([[3.0], [0.0]])
    layer.bias.grad = np.array([4.0])                   # total norm sqrt(9 + 16) = 5
    nn.utils.clip_grad_norm_(layer.parameters(), max_norm=1.0)
    total = np.sqrt(sum(float((p.grad ** 2).sum()) for p in layer.parameters()))
    assert total == pytest.approx(1.0, rel=1e-5)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tutorial_xornet_runs_with_only_the_import_changed(seed):
    """The tutorials' PyTorch XORNet: nn.Module, two nn.Linear, sigmoid, nn.BCELoss, Adam."""
    optim = pytest.importorskip("glassnet.optim")
    if not hasattr(optim, "Adam"):
        pytest.skip("glassnet.optim.Adam is not there yet")
    gn.seed(seed)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y_xor = np.array([0, 1, 1, 0], dtype=np.float32)

    class XORNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.layer1 = nn.Linear(2, 4)
            self.layer2 = nn.Linear(4, 1)
            self.activation = nn.Sigmoid()

        def forward(self, x):
            x = self.activation(self.layer1(x))
            x = self.activation(self.layer2(x))
            return x

    model = XORNet()
    criterion = nn.BCELoss()
    optimizer = optim.Adam(model.parameters(), lr=0.1)
    X_tensor = gn.tensor(X)
    y_tensor = gn.tensor(y_xor).reshape(-1, 1)
    for _epoch in range(1000):
        output = model(X_tensor)
        loss = criterion(output, y_tensor)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with gn.no_grad():
        predictions = model(X_tensor)
    assert loss.item() < 0.1
    np.testing.assert_array_equal((predictions.data.ravel() > 0.5).astype(int), [0, 1, 1, 0])

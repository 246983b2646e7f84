"""PyTorch style: a hand-written loop over a DataLoader, with the tutorials' XORNet."""

import numpy as np

import glassnet as gn
from glassnet import nn
from glassnet.data.dataloader import DataLoader, TensorDataset
from glassnet.optim.adam import Adam


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


def test_hand_written_loop_over_a_dataloader_learns_xor():
    gn.seed(0)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([[0], [1], [1], [0]], dtype=np.float32)
    loader = DataLoader(TensorDataset(X, y), batch_size=2, shuffle=True, generator=0)
    model = XORNet()
    criterion = nn.BCELoss()
    optimizer = Adam(model.parameters(), lr=0.1)
    losses = []
    for _ in range(300):
        total = 0.0
        for xb, yb in loader:
            output = model(xb)
            loss = criterion(output, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(xb)
        losses.append(total / len(loader.dataset))
    model.eval()
    with gn.no_grad():
        predictions = model(gn.tensor(X))
    assert not predictions.requires_grad
    np.testing.assert_array_equal((predictions.numpy() > 0.5).astype(int), y.astype(int))
    assert losses[-1] < 0.1 < losses[0]


def test_same_generator_seed_gives_the_same_training():
    def train(seed):
        gn.seed(3)
        X = np.random.default_rng(0).normal(size=(20, 2)).astype(np.float32)
        y = X.sum(axis=1, keepdims=True)
        model = nn.Linear(2, 1)
        optimizer = Adam(model.parameters(), lr=0.01)
        for xb, yb in DataLoader(TensorDataset(X, y), batch_size=3, shuffle=True,
                                 generator=seed):
            loss = gn.functional.mse_loss(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return model.weight.numpy().copy()

    np.testing.assert_array_equal(train(1), train(1))
    assert not np.array_equal(train(1), train(2))

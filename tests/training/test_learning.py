"""Learning tests: real tasks reach real accuracy through the Keras-style fit, fixed seeds."""

import numpy as np
import pytest

import glassnet as gn
from glassnet import nn
from glassnet.data import load_digits, standardize, train_test_split, xor
from glassnet.optim.adam import Adam
from glassnet.training import metrics

pytestmark = pytest.mark.slow


def test_xor_2_4_1_reaches_100_percent():
    gn.seed(0)
    X, y = xor()
    model = nn.Sequential([nn.Dense(4, activation="tanh"), nn.Dense(1, activation="sigmoid")])
    model.compile(optimizer=Adam(learning_rate=0.1), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(X, y, epochs=300, batch_size=4, verbose=0)
    loss, accuracy = model.evaluate(X, y, verbose=0)
    assert accuracy == 1.0 and loss < 0.1
    np.testing.assert_array_equal((model.predict(X)[:, 0] > 0.5).astype(int), y)


def test_digits_reaches_97_percent_on_the_test_set():
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train, mean, std = standardize(X_train)
    X_test = standardize(X_test, mean, std)[0]
    gn.seed(0)
    model = nn.Sequential([nn.Dense(64, activation="relu"), nn.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=30, batch_size=32, verbose=0)
    loss, accuracy = model.evaluate(X_test, y_test, verbose=0)
    assert accuracy >= 0.97
    assert metrics.accuracy(y_test, model.predict(X_test)) == pytest.approx(accuracy)
    assert history.history["accuracy"][-1] > 0.99


def test_diabetes_regression_r2_at_least_045():
    pytest.importorskip("sklearn")
    from sklearn.model_selection import train_test_split as sk_split

    from glassnet.data import load_diabetes

    X, y = load_diabetes()
    X_train, X_test, y_train, y_test = sk_split(X, y, test_size=0.2, random_state=42)
    X_train, mean, std = standardize(X_train)
    X_test = standardize(X_test, mean, std)[0]
    y_mean, y_std = y_train.mean(), y_train.std()
    gn.seed(0)
    model = nn.Sequential([nn.Dense(16, activation="relu"), nn.Dense(1)])
    model.compile(optimizer="adam", loss="mse", metrics=["r2"])
    model.fit(X_train, (y_train - y_mean) / y_std, epochs=100, batch_size=32, verbose=0)
    r2 = metrics.r2((y_test - y_mean) / y_std, model.predict(X_test))
    assert r2 >= 0.45
    assert model.evaluate(X_test, (y_test - y_mean) / y_std, verbose=0)[1] == pytest.approx(r2)


def test_digits_reaches_97_percent_pytorch_style():
    from glassnet import functional as F
    from glassnet import optim
    from glassnet.data import DataLoader, TensorDataset

    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    X_train, mean, std = standardize(X_train)
    X_test = standardize(X_test, mean, std)[0]
    gn.seed(0)
    net = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    opt = optim.Adam(net.parameters(), lr=1e-3)
    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=32, shuffle=True)
    for _ in range(30):
        for xb, yb in loader:
            loss = F.cross_entropy(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
    net.eval()
    with gn.no_grad():
        predicted = net(gn.tensor(X_test)).data.argmax(axis=1)
    assert (predicted == y_test).mean() >= 0.97

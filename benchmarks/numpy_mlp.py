"""The two floors: a minimal hand-written NumPy MLP, and the bare matrix multiplies.

`NumpyMLP` is what a careful person writes in an afternoon: forward, backward and Adam in
plain NumPy, float32, no autograd, no checks. It is the bar glassnet's readable engine has to
meet. `GemmFloor` does only the matrix multiplies one epoch needs, into preallocated buffers:
no framework can train faster than that with the same BLAS.
"""

from __future__ import annotations

import numpy as np


def mlp_gemm_flops(sizes, n_rows: int, train: bool = True) -> int:
    """Floating-point operations in an MLP's matrix multiplies (biases and activations not counted).

    Per layer with `fan_in` inputs and `fan_out` outputs:
      forward                 z = a @ W         2 * n * fan_in * fan_out
      backward, weights       dW = a.T @ dz     2 * n * fan_in * fan_out
      backward, inputs        da = dz @ W.T     2 * n * fan_in * fan_out, except the first layer
    (nobody needs the gradient with respect to the data, and PyTorch, scikit-learn and the
    floors below all skip it).

    Example:
        >>> mlp_gemm_flops([784, 256, 128, 10], 1, train=False)
        469504
        >>> mlp_gemm_flops([784, 256, 128, 10], 1)
        1007104
    """
    layers = [2 * n_rows * fan_in * fan_out for fan_in, fan_out in zip(sizes[:-1], sizes[1:])]
    if not train:
        return sum(layers)
    return 2 * sum(layers) + sum(layers[1:])


class NumpyMLP:
    """A minimal MLP in NumPy: ReLU or tanh hidden layers, Adam, float32.

    The output is softmax + cross-entropy from logits when `sizes[-1] > 1` (integer labels),
    sigmoid + binary cross-entropy from logits when it is 1 (labels of shape (n, 1)).

    Args:
        sizes: layer widths, e.g. [784, 256, 128, 10].
        lr: Adam's learning rate.
        hidden: "relu" or "tanh".
        seed: seed of the He-normal initialisation.

    Example:
        >>> from benchmarks.data import xor
        >>> X, y = xor()
        >>> net = NumpyMLP([2, 4, 1], lr=0.05, hidden="tanh")
        >>> for _ in range(500):
        ...     net.train_step(X, y)
        >>> (net.predict(X) > 0).astype(int).ravel().tolist()
        [0, 1, 1, 0]
    """

    def __init__(self, sizes, lr=1e-3, hidden="relu", seed=0):
        rng = np.random.default_rng(seed)
        self.W = [rng.standard_normal((i, o), dtype=np.float32) * np.float32(np.sqrt(2 / i))
                  for i, o in zip(sizes[:-1], sizes[1:])]
        self.b = [np.zeros(o, dtype=np.float32) for o in sizes[1:]]
        self.params = self.W + self.b
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.lr, self.t, self.tanh = lr, 0, hidden == "tanh"

    def forward(self, x):
        """Activations of every layer, input first, logits last."""
        acts = [x]
        for W, b in zip(self.W[:-1], self.b[:-1]):
            z = acts[-1] @ W + b
            acts.append(np.tanh(z) if self.tanh else np.maximum(z, 0, out=z))
        acts.append(acts[-1] @ self.W[-1] + self.b[-1])
        return acts

    def gradients(self, x, y):
        """Mean loss gradients for every parameter, in the order of `self.params`."""
        acts = self.forward(x)
        z = acts[-1]
        if z.shape[1] == 1:  # sigmoid written with tanh: no overflow for large |z|
            dz = (0.5 + 0.5 * np.tanh(0.5 * z)) - y
        else:
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(y)), y] -= 1
            dz = p
        dz /= np.float32(len(x))
        dW, db = [], []
        for layer in range(len(self.W) - 1, -1, -1):
            dW.insert(0, acts[layer].T @ dz)
            db.insert(0, dz.sum(axis=0))
            if layer > 0:  # differentiate the activation through its saved output
                da = dz @ self.W[layer].T
                a = acts[layer]
                dz = da * (1 - a * a) if self.tanh else da * (a > 0)
        return dW + db

    def train_step(self, x, y):
        """One Adam step (Kingma & Ba 2015) on a batch, parameters updated in place."""
        self.t += 1
        lr_t = self.lr * np.sqrt(1 - 0.999 ** self.t) / (1 - 0.9 ** self.t)
        for p, g, m, v in zip(self.params, self.gradients(x, y), self.m, self.v):
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= np.float32(lr_t) * m / (np.sqrt(v) + np.float32(1e-8))

    def train_epoch(self, X, y, batch_size, rng):
        """One pass over the data in batches drawn from one permutation."""
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            self.train_step(X[idx], y[idx])

    def predict(self, x):
        """Logits (no softmax/sigmoid)."""
        return self.forward(x)[-1]


class GemmFloor:
    """Only the matrix multiplies of an MLP's training epoch or prediction, with the same shapes.

    Forward `a @ W`, backward `a.T @ dz` and `dz @ W.T` (not for the first layer), all into
    preallocated buffers, over contiguous batches of X. Nothing else: no bias, activation,
    loss, optimizer or shuffling.

    Example:
        >>> X = np.ones((300, 8), dtype=np.float32)
        >>> floor = GemmFloor([8, 4, 2], X, batch_size=128)
        >>> floor.train_epoch()
        >>> floor.predict().shape
        (300, 2)
    """

    def __init__(self, sizes, X, batch_size):
        rng = np.random.default_rng(0)
        self.X, self.batch_size = X, batch_size
        self.W = [rng.standard_normal((i, o), dtype=np.float32) * np.float32(0.05)
                  for i, o in zip(sizes[:-1], sizes[1:])]
        self.dW = [np.empty_like(W) for W in self.W]
        self.acts = [np.empty((batch_size, o), dtype=np.float32) for o in sizes[1:]]
        self.dz = [np.full((batch_size, o), 0.01, dtype=np.float32) for o in sizes[1:]]
        self.da = [np.empty((batch_size, i), dtype=np.float32) for i in sizes[:-1]]

    def _step(self, x):
        n = len(x)
        acts = [x]
        for W, out in zip(self.W, self.acts):
            acts.append(np.matmul(acts[-1], W, out=out[:n]))
        for layer in range(len(self.W) - 1, -1, -1):
            dz = self.dz[layer][:n]
            np.matmul(acts[layer].T, dz, out=self.dW[layer])
            if layer > 0:
                np.matmul(dz, self.W[layer].T, out=self.da[layer][:n])

    def train_epoch(self):
        """The GEMMs of one training epoch."""
        for start in range(0, len(self.X), self.batch_size):
            self._step(self.X[start:start + self.batch_size])

    def predict(self, X=None):
        """The GEMMs of one forward pass over all rows at once."""
        out = self.X if X is None else X
        for W in self.W:
            out = out @ W
        return out

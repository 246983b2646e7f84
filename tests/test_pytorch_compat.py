"""PyTorch tutorial code runs on glassnet with only the import lines changed.

The tutorials' code is run verbatim (``import torch`` -> ``import glassnet as torch``);
then each PyTorch name glassnet provides is checked against real PyTorch where it is
installed. Real torch is imported as ``real_torch`` so it never meets the tutorial's
``torch``.
"""

import contextlib
import io
import re
import subprocess
import sys

import numpy as np
import pytest

import glassnet as gn
import glassnet.functional
from glassnet import nn

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
y_xor = np.array([0, 1, 1, 0])

# The XORNet of ../shared/seeds/003 (the tutorial), verbatim but for the three import lines;
# the seed line stands where the tutorial's earlier cells left its random state.
XORNET = '''
import glassnet as torch
import glassnet.nn as nn
import glassnet.optim as optim

torch.manual_seed(SEED)

# Define the network
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

# Create network
model = XORNet()

# Loss and optimizer
criterion = nn.BCELoss()
optimizer = optim.Adam(model.parameters(), lr=0.1)

# Data
X_tensor = torch.FloatTensor(X)
y_tensor = torch.FloatTensor(y_xor).reshape(-1, 1)

# Training loop
for epoch in range(1000):
    # Forward pass
    output = model(X_tensor)
    loss = criterion(output, y_tensor)

    # Backward pass
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if epoch % 200 == 0:
        print(f"Epoch {epoch}: Loss = {loss.item():.4f}")

# Test
with torch.no_grad():
    predictions = model(X_tensor)
    print("\\nPyTorch XOR Results:")
    for xi, pred in zip(X, predictions):
        print(f"  {xi} -> {pred.item():.3f}")
'''

# The Net of ../shared/seeds/001, verbatim but for the imports.
NET = '''
import glassnet as torch
import glassnet.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 4)
        self.out = nn.Linear(4, 1)

    def forward(self, x):
        x = torch.relu(self.fc1(x))
        x = torch.relu(self.fc2(x))
        return torch.sigmoid(self.out(x))
'''


def _run(code: str, **names) -> tuple:
    """Execute tutorial code; return its namespace and what it printed."""
    namespace = dict(names)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "<tutorial>", "exec"), namespace)
    return namespace, printed.getvalue()


@pytest.fixture
def real_torch():
    return pytest.importorskip("torch")


# ----------------------------------------------------------------------------- the tutorials


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_tutorials_xornet_runs_unchanged_and_learns_xor(seed):
    namespace, printed = _run(XORNET, X=X, y_xor=y_xor, SEED=seed)

    predictions = namespace["predictions"]
    assert isinstance(predictions, gn.Tensor) and predictions.shape == (4, 1)
    assert ((predictions.numpy().ravel() > 0.5) == y_xor).all(), predictions
    lines = printed.splitlines()
    assert len(lines) == 5 + 2 + 4
    losses = []
    for epoch, line in zip(range(0, 1000, 200), lines[:5]):
        match = re.fullmatch(rf"Epoch {epoch}: Loss = (\d\.\d{{4}})", line)
        assert match, line
        losses.append(float(match.group(1)))
    assert losses[-1] < losses[0] / 10
    assert lines[5:7] == ["", "PyTorch XOR Results:"]
    for xi, line in zip(X, lines[7:]):
        assert re.fullmatch(rf"  \[{xi[0]} {xi[1]}\] -> [01]\.\d{{3}}", line), line


def test_the_same_seed_gives_the_same_network():
    first, _ = _run(XORNET, X=X, y_xor=y_xor, SEED=3)
    second, _ = _run(XORNET, X=X, y_xor=y_xor, SEED=3)
    assert np.array_equal(first["predictions"].numpy(), second["predictions"].numpy())


def test_the_tutorials_net_with_torch_relu_and_sigmoid_matches_pytorch(real_torch):
    namespace, _ = _run(NET)
    net = namespace["Net"]()
    reference = real_torch.nn.Sequential(
        real_torch.nn.Linear(4, 8), real_torch.nn.ReLU(), real_torch.nn.Linear(8, 4),
        real_torch.nn.ReLU(), real_torch.nn.Linear(4, 1), real_torch.nn.Sigmoid())
    with real_torch.no_grad():
        for ours, theirs in zip([net.fc1, net.fc2, net.out], reference[::2]):
            theirs.weight.copy_(real_torch.from_numpy(ours.weight.numpy().T))  # (in, out) here
            theirs.bias.copy_(real_torch.from_numpy(ours.bias.numpy()))
    x = np.random.default_rng(0).standard_normal((6, 4)).astype(np.float32)
    expected = reference(real_torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(net(gn.FloatTensor(x)).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_the_tutorials_net_trains_with_a_tutorial_loop():
    namespace, _ = _run(NET)
    gn.manual_seed(0)
    model = namespace["Net"]()
    rng = np.random.default_rng(0)
    features = rng.standard_normal((64, 4))
    labels = (features[:, 0] + features[:, 1] > 0).astype(np.float32)
    loader = gn.utils.data.DataLoader(
        gn.utils.data.TensorDataset(gn.FloatTensor(features), gn.FloatTensor(labels)),
        batch_size=16, shuffle=True)
    criterion = nn.BCELoss()
    optimizer = gn.optim.Adam(model.parameters(), lr=0.01)
    first = last = None
    for epoch in range(60):
        total = 0.0
        for inputs, targets in loader:
            outputs = model(inputs)
            loss = criterion(outputs, targets.unsqueeze(1))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * inputs.size(0)
        last = total / len(loader.dataset)
        first = last if first is None else first
    assert last < first / 2


def test_the_tutorials_accuracy_loop_with_max_of_outputs_data(real_torch):
    """``_, predicted = torch.max(outputs.data, 1)``: ``outputs.data`` is a NumPy array in
    glassnet, and ``torch.max`` takes it as a tensor, so the tutorial's loop runs."""
    gn.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 4))
    rng = np.random.default_rng(1)
    features = rng.standard_normal((50, 3)).astype(np.float32)
    classes = rng.integers(0, 4, 50)
    test_loader = gn.utils.data.DataLoader(
        gn.utils.data.TensorDataset(features, gn.LongTensor(classes)), batch_size=16)
    correct = 0
    total = 0
    with gn.no_grad():
        for inputs, labels in test_loader:
            outputs = model(inputs)
            _, predicted = gn.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    scores = model(gn.tensor(features)).numpy()
    theirs = real_torch.max(real_torch.from_numpy(scores), 1).indices.numpy()
    assert total == 50
    assert correct == (theirs == classes).sum()
    assert 100 * correct / total == pytest.approx(100 * (scores.argmax(1) == classes).mean())


# ----------------------------------------------------------------------------- top-level names


def test_max_and_min_return_values_and_indices_as_pytorch(real_torch):
    x = np.random.default_rng(2).standard_normal((4, 5)).astype(np.float32)
    t = real_torch.from_numpy(x)
    for ours, theirs in [(gn.max, real_torch.max), (gn.min, real_torch.min)]:
        assert ours(x).item() == theirs(t).item()
        for dim in (0, 1, -1):
            values, indices = ours(gn.tensor(x), dim)
            expected = theirs(t, dim)
            np.testing.assert_array_equal(values.numpy(), expected.values.numpy())
            np.testing.assert_array_equal(indices.numpy(), expected.indices.numpy())
            kept = ours(x, dim=dim, keepdim=True)
            assert kept.values.shape == tuple(theirs(t, dim, keepdim=True).values.shape)
            assert kept.indices.shape == kept.values.shape
    other = np.full((4, 5), 0.1, np.float32)
    np.testing.assert_array_equal(gn.max(gn.tensor(x), gn.tensor(other)).numpy(),
                                  real_torch.max(t, real_torch.from_numpy(other)).numpy())


def test_max_over_a_dim_passes_the_gradient_to_the_maximum(real_torch):
    x = np.array([[1.0, 5.0, 2.0], [3.0, 0.0, -1.0]])
    ours = gn.tensor(x, requires_grad=True)
    gn.max(ours, 1).values.sum().backward()
    theirs = real_torch.tensor(x, dtype=real_torch.float32, requires_grad=True)
    real_torch.max(theirs, 1).values.sum().backward()
    np.testing.assert_array_equal(ours.grad, theirs.grad.numpy())


def test_tensor_max_follows_pytorch_with_dim_and_numpy_with_axis():
    x = gn.tensor([[1.0, 5.0], [3.0, 2.0]])
    values, indices = x.max(1)
    assert values.tolist() == [5.0, 3.0] and indices.tolist() == [1, 0]
    assert x.max(dim=0).indices.tolist() == [1, 0]
    assert x.max(axis=1).tolist() == [5.0, 3.0]            # NumPy's spelling: the values
    assert x.min(axis=(0, 1)).item() == 1.0
    with pytest.raises(TypeError, match=r"dim must be one axis.*axis="):
        x.max((0, 1))


@pytest.mark.parametrize("name, data", [
    ("relu", [[-1.0, 0.5], [2.0, -3.0]]), ("sigmoid", [[-1.0, 0.5], [2.0, -3.0]]),
    ("tanh", [[-1.0, 0.5], [2.0, -3.0]]), ("exp", [[-1.0, 0.5], [2.0, -3.0]]),
    ("log", [[0.5, 1.0], [2.0, 3.0]]), ("sqrt", [[0.25, 1.0], [2.0, 9.0]]),
    ("abs", [[-1.0, 0.5], [2.0, -3.0]]), ("round", [[0.5, 1.5], [2.5, -0.6]]),
])
def test_elementwise_functions_match_pytorch(real_torch, name, data):
    x = np.array(data, dtype=np.float32)
    expected = getattr(real_torch, name)(real_torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(getattr(gn, name)(gn.tensor(x)).numpy(), expected, rtol=1e-6)


def test_reductions_softmax_matmul_and_clamp_match_pytorch(real_torch):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((3, 4)).astype(np.float32)
    w = rng.standard_normal((4, 2)).astype(np.float32)
    t = real_torch.from_numpy(x)
    close = np.testing.assert_allclose
    close(gn.sum(x).item(), real_torch.sum(t).item(), rtol=1e-6)
    close(gn.sum(x, 1).numpy(), real_torch.sum(t, 1).numpy(), rtol=1e-6)
    close(gn.sum(x, dim=0, keepdim=True).numpy(), real_torch.sum(t, dim=0, keepdim=True).numpy(),
          rtol=1e-6)
    close(gn.mean(x, dim=1).numpy(), real_torch.mean(t, dim=1).numpy(), rtol=1e-6)
    assert gn.argmax(x).item() == real_torch.argmax(t).item()
    np.testing.assert_array_equal(gn.argmax(x, dim=1).numpy(), real_torch.argmax(t, dim=1))
    np.testing.assert_array_equal(gn.argmin(x, dim=0, keepdim=True).numpy(),
                                  real_torch.argmin(t, dim=0, keepdim=True))
    close(gn.softmax(x, dim=1).numpy(), real_torch.softmax(t, dim=1).numpy(), rtol=1e-5)
    close(gn.log_softmax(x, dim=1).numpy(), real_torch.log_softmax(t, dim=1).numpy(),
          rtol=1e-5)
    close(gn.matmul(x, w).numpy(), real_torch.matmul(t, real_torch.from_numpy(w)).numpy(),
          rtol=1e-5)
    close(gn.clamp(gn.tensor(x), min=-0.5, max=0.5).numpy(),
          real_torch.clamp(t, min=-0.5, max=0.5).numpy())


def test_legacy_constructors_and_dtype_names_match_pytorch(real_torch):
    labels = np.array([0, 1, 1, 0])
    assert gn.FloatTensor(labels).dtype == np.float32
    assert gn.FloatTensor([[1, 2], [3, 4]]).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert gn.LongTensor(labels).dtype == np.int64
    assert gn.DoubleTensor(labels).dtype == np.float64
    assert gn.IntTensor(labels).dtype == np.int32
    assert gn.FloatTensor(2, 3).shape == (2, 3) and gn.FloatTensor(2, 3).numpy().sum() == 0
    with pytest.raises(TypeError, match=r"FloatTensor: expected data .* received"):
        gn.FloatTensor([1.0], 2)
    for name in ("float", "double", "long", "int", "float32", "float64", "int64", "int32",
                 "bool"):
        theirs = real_torch.empty(0, dtype=getattr(real_torch, name)).numpy().dtype
        assert np.dtype(getattr(gn, name)) == theirs, name
    assert gn.tensor([1, 2], dtype=gn.long).dtype == np.int64
    assert gn.zeros(2, dtype=gn.double).dtype == np.float64


def test_manual_seed_makes_initial_weights_repeatable():
    gn.manual_seed(7)
    first = nn.Linear(3, 2).weight.numpy().copy()
    gn.manual_seed(7)
    assert np.array_equal(first, nn.Linear(3, 2).weight.numpy())


def test_set_grad_enabled_as_a_block_and_as_a_switch():
    w = gn.ones(2, requires_grad=True)
    with gn.set_grad_enabled(False):
        assert not (w * 2).requires_grad
    assert gn.is_grad_enabled()
    with gn.set_grad_enabled(True):
        assert (w * 2).requires_grad
    try:
        gn.set_grad_enabled(False)
        assert not gn.is_grad_enabled() and not (w * 2).requires_grad
    finally:
        gn.set_grad_enabled(True)
    assert gn.is_grad_enabled()


# ----------------------------------------------------------------------------- devices


def test_the_tutorials_device_line_picks_the_cpu_and_to_device_is_a_no_op():
    device = gn.device("cuda" if gn.cuda.is_available() else "cpu")
    assert device == gn.device("cpu") and str(device) == "cpu" and device.type == "cpu"
    model = nn.Sequential(nn.Linear(2, 3)).to(device)
    assert isinstance(model, nn.Sequential) and model.cpu() is model
    x = gn.FloatTensor(X).to(device)
    assert x.to("cpu") is x and x.cpu() is x and x.to(device=device) is x
    assert model(x).shape == (4, 3)
    assert gn.cuda.device_count() == 0
    gn.cuda.manual_seed_all(0)


def test_creation_functions_take_pytorchs_device_argument():
    device = gn.device("cpu")
    assert gn.tensor([1.0, 2.0], dtype=gn.float32, device=device).tolist() == [1.0, 2.0]
    assert gn.zeros(2, 3, device="cpu").shape == (2, 3)
    assert gn.ones(2, device=device).tolist() == [1.0, 1.0]
    assert gn.randn(4, device=device).shape == gn.rand(4, device="cpu").shape == (4,)
    assert gn.arange(3, device=device).tolist() == [0, 1, 2]
    assert gn.full((2,), 0.5, device=device).tolist() == [0.5, 0.5]
    assert gn.zeros_like(gn.ones(2), device=device).tolist() == [0.0, 0.0]
    with pytest.raises(RuntimeError, match=r"zeros: glassnet runs on the CPU only"):
        gn.zeros(2, device="cuda")
    with pytest.raises(RuntimeError, match=r"tensor: glassnet runs on the CPU only"):
        gn.tensor([1.0], device=gn.device("cuda", 0))


@pytest.mark.parametrize("target", ["cuda", "cuda:0", gn.device("cuda"), "mps"])
def test_moving_to_a_gpu_raises_a_clear_error(target):
    with pytest.raises(RuntimeError, match=r"Tensor.to: glassnet runs on the CPU only, "
                                           r"received device '(cuda|mps)"):
        gn.ones(2).to(target)
    with pytest.raises(RuntimeError, match=r"Module.to: glassnet runs on the CPU only"):
        nn.Linear(2, 1).to(target)


def test_unknown_devices_are_refused_with_the_valid_names():
    with pytest.raises(ValueError, match=r"expected one of cpu, cuda, mps, xpu.*'gpu'"):
        gn.device("gpu")
    with pytest.raises(ValueError, match=r"'cuda:x'"):
        gn.ones(2).to("cuda:x")


def test_to_changes_the_dtype_and_accepts_device_and_dtype_together():
    x = gn.tensor([1.5, 2.5], requires_grad=True)
    y = x.to("cpu", gn.float64)
    assert y.dtype == np.float64 and x.to(dtype=gn.float32) is x
    y.sum().backward()
    assert x.grad.dtype == np.float32 and x.grad.tolist() == [1.0, 1.0]
    assert nn.Linear(2, 1).to(gn.device("cpu"), gn.float64).weight.dtype == np.float64


# ----------------------------------------------------------------------------- tensor methods


def test_size_numel_and_dim_match_pytorch(real_torch):
    x = np.zeros((3, 4, 5), dtype=np.float32)
    ours, theirs = gn.tensor(x), real_torch.from_numpy(x)
    assert ours.size() == tuple(theirs.size())
    for dim in (0, 1, 2, -1):
        assert ours.size(dim) == theirs.size(dim)
    assert ours.numel() == theirs.numel() == 60
    assert ours.dim() == theirs.dim() == 3
    with pytest.raises(IndexError, match=r"dim 3 is out of range.*3 axes"):
        ours.size(3)


def test_conversions_clone_t_and_pow_match_pytorch(real_torch):
    x = np.array([[1.7, -2.2], [0.5, 3.0]], dtype=np.float32)
    ours, theirs = gn.tensor(x), real_torch.from_numpy(x)
    for method in ("long", "int", "double", "float"):
        converted = getattr(ours, method)()
        expected = getattr(theirs, method)().numpy()
        assert converted.dtype == expected.dtype, method
        np.testing.assert_array_equal(converted.numpy(), expected)
    np.testing.assert_array_equal(ours.t().numpy(), theirs.t().numpy())
    np.testing.assert_allclose(ours.pow(3).numpy(), theirs.pow(3).numpy(), rtol=1e-6)
    np.testing.assert_array_equal(ours.round().numpy(), theirs.round().numpy())
    with pytest.raises(ValueError, match=r"t\(\) expects a tensor with at most 2 axes"):
        gn.zeros(2, 3, 4).t()


def test_clone_is_a_separate_copy_that_passes_gradients_back():
    x = gn.tensor([1.0, 2.0], requires_grad=True)
    y = x.clone()
    y.data[0] = 10.0
    assert x.tolist() == [1.0, 2.0]
    (y * y).sum().backward()          # d/dx of sum(clone(x)^2) = 2 * clone(x)
    assert x.grad.tolist() == [20.0, 4.0]


def test_internal_users_of_the_element_count_use_numel():
    """``size`` is a method now; batch norm, summaries and backward() count with numel()."""
    layer = nn.BatchNorm1d(3)
    out = layer(gn.randn(4, 3, rng=0))
    assert out.shape == (4, 3)
    assert nn.Linear(4, 2).num_parameters() == 10
    with pytest.raises(RuntimeError, match=r"shape \(2,\) needs a gradient"):
        (gn.ones(2, requires_grad=True) * 2).backward()


# ----------------------------------------------------------------------------- submodules


def test_nn_functional_is_glassnet_functional_under_pytorchs_name():
    import glassnet.nn.functional as F

    assert F.relu is glassnet.functional.relu and gn.nn.functional is F
    public = {name for name, value in vars(glassnet.functional).items()
              if callable(value) and getattr(value, "__module__", "").startswith("glassnet.")
              and not name.startswith("_") and not isinstance(value, type)}
    assert set(glassnet.functional.__all__) == public
    assert {name for name in dir(F) if not name.startswith("_")} == public


def test_utils_data_names_and_a_custom_dataset():
    from glassnet.utils.data import DataLoader, Dataset, TensorDataset

    assert DataLoader is gn.data.DataLoader and TensorDataset is gn.data.TensorDataset
    assert isinstance(TensorDataset(np.zeros((2, 1))), Dataset)

    class Squares(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return np.array([float(i)]), i * i

    batches = list(DataLoader(Squares(), batch_size=2))
    assert [b[1].tolist() for b in batches] == [[0, 1], [4, 9], [16]]
    assert batches[0][0].dtype == np.float32

    class Unfinished(Dataset):
        pass

    with pytest.raises(NotImplementedError, match=r"Unfinished must define __len__"):
        len(DataLoader(Unfinished()))


def test_import_glassnet_does_not_load_the_compatibility_packages():
    code = ("import sys, glassnet\n"
            "print(sorted(m for m in ('glassnet.keras', 'glassnet.utils', 'glassnet.cuda') "
            "if m in sys.modules))\n"
            "glassnet.utils.data, glassnet.cuda\n"
            "print(sorted(m for m in ('glassnet.utils.data', 'glassnet.cuda') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split("\n")[:2] == ["[]", "['glassnet.cuda', 'glassnet.utils.data']"]

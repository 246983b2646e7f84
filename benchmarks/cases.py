"""The cases: issue 6's six, and case 7 (case 1 continued); sizes, data and contestants."""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from typing import Any, Callable

from benchmarks import data as datasets
from benchmarks import impl_glassnet as glassnet
from benchmarks import impl_numpy as numpy_impl
from benchmarks import impl_sklearn as sklearn
from benchmarks import impl_torch as torch
from benchmarks import importtime
from benchmarks.harness import Implementation
from benchmarks.numpy_mlp import mlp_gemm_flops

MNIST_MLP = [784, 256, 128, 10]
XOR_NET = [2, 4, 1]
TABULAR_NET = [20, 64, 64, 1]
DIGITS_NET = [64, 100, 10]
DIGITS_TARGET = 0.975

GLASSNET = ("glassnet",)
TORCH = ("torch",)
SKLEARN = ("sklearn.neural_network",)


@dataclass
class Case:
    """One benchmark case.

    Attributes:
        id: 1..7 (1 to 6 as in issue 6; 7 continues case 1's training).
        title: heading of its table.
        unit: the unit of the "median" column, e.g. "ms/epoch".
        scale: seconds of one `run()` -> the unit: value = seconds * scale / count.
        count: how many units one `run()` does (steps, epochs).
        make_data: builds the data once; the same object goes to every setup.
        impls: the contestants, glassnet first.
        flops: matrix-multiply FLOPs of one `run()` (None when GFLOP/s does not apply).
        floor: key of the implementation the "x floor" column divides by.
        params: the sizes, recorded in the JSON.
        warmup, repeats: override the suite's settings for this case (None: keep them).
        postprocess: called with the results before the ratios (case 6 subtracts the baseline).
        memory_command: argv for the memory subprocess of an implementation key (None: the
            default `python -m benchmarks.memory CASE IMPL`).
        memory_skipped: why this case has no memory runs (None: it has them).
    """

    id: int
    title: str
    unit: str
    scale: float
    count: int
    make_data: Callable[[], Any]
    impls: list[Implementation]
    flops: int | None = None
    floor: str | None = None
    params: dict = field(default_factory=dict)
    warmup: int | None = None
    repeats: int | None = None
    postprocess: Callable[[list], None] | None = None
    memory_command: Callable[[str], list[str]] | None = None
    memory_skipped: str | None = None

    def per_unit(self, seconds: float) -> float:
        """Seconds of one run expressed in the case's unit.

        Example:
            >>> case = build_case(2, quick=True)
            >>> case.unit, round(case.per_unit(0.01), 1)
            ('µs/step', 200.0)
        """
        return seconds * self.scale / self.count


def _impl(key, label, kind, setup, imports=(), tag=""):
    return Implementation(key, label, kind, setup, tuple(imports), tag)


def _mlp_impls(batch: int, lr: float, fresh: bool) -> list[Implementation]:
    sizes = MNIST_MLP
    impls = [
        _impl("glassnet-fit", "glassnet, Keras-style fit", "glassnet",
              glassnet.fit_epochs(sizes, 1, batch, lr, fresh=fresh), GLASSNET, "fit"),
        _impl("glassnet-loop", "glassnet, PyTorch-style loop", "glassnet",
              glassnet.loop_epochs(sizes, 1, batch, lr, fresh=fresh), GLASSNET, "loop"),
        _impl("torch", "PyTorch eager (2 threads)", "rival",
              torch.train_epochs(sizes, 1, batch, lr, fresh=fresh), TORCH),
        _impl("torch-fused", "PyTorch eager, fused Adam (2 threads)", "rival",
              torch.train_epochs(sizes, 1, batch, lr, variant="fused", fresh=fresh), TORCH),
        _impl("sklearn", "scikit-learn MLPClassifier (max_iter=1)", "rival",
              sklearn.train_epochs(sizes[1:-1], 1, batch, lr), SKLEARN),
        _impl("numpy", "minimal NumPy MLP (NumPy floor)", "floor",
              numpy_impl.train_epochs(sizes, 1, batch, lr, fresh=fresh)),
        _impl("gemm", "GEMM floor", "floor", numpy_impl.gemm_epochs(sizes, 1, batch)),
    ]
    if not fresh:  # scikit-learn's fit always starts again from new weights
        impls = [impl for impl in impls if impl.key != "sklearn"]
    return impls


def _case_mlp(quick: bool) -> Case:
    n, batch, lr = (1000 if quick else 60000), 128, 1e-3
    return Case(
        1, "MLP, MNIST-shaped: one training epoch from new weights", "ms/epoch", 1e3, 1,
        lambda: datasets.mnist_like(n), _mlp_impls(batch, lr, fresh=True),
        flops=mlp_gemm_flops(MNIST_MLP, n), floor="gemm",
        params={"rows": n, "layers": MNIST_MLP, "batch_size": batch, "epochs": 1,
                "optimizer": "Adam", "lr": lr, "loss": "softmax cross-entropy",
                "start": "new weights every run"},
    )


def _case_mlp_continued(quick: bool) -> Case:
    """Case 1's training continued: after the warm-up epoch, each run is the next epoch.

    Adam's running mean of a weight whose gradient stays 0 (a dead ReLU unit) decays by
    0.9 a step into the subnormal floats (below 1.2e-38), where arithmetic is ~20x slower;
    from the second epoch on this costs whoever keeps those numbers.
    """
    n, batch, lr = (1000 if quick else 60000), 128, 1e-3
    return Case(
        7, "MLP, MNIST-shaped: case 1's training continued, epochs 2 to 6", "ms/epoch", 1e3,
        1, lambda: datasets.mnist_like(n), _mlp_impls(batch, lr, fresh=False),
        flops=mlp_gemm_flops(MNIST_MLP, n), floor="gemm",
        memory_skipped="as in case 1",
        params={"rows": n, "layers": MNIST_MLP, "batch_size": batch, "epochs": 1,
                "optimizer": "Adam", "lr": lr, "loss": "softmax cross-entropy",
                "start": "each run continues the previous one (warm-up = epoch 1)"},
    )


def _case_xor(quick: bool) -> Case:
    steps, lr, sizes = (50 if quick else 2000), 0.05, XOR_NET
    impls = [
        _impl("glassnet-fit", "glassnet, Keras-style fit", "glassnet",
              glassnet.fit_full_batch(sizes, steps, lr), GLASSNET, "fit"),
        _impl("glassnet-loop", "glassnet, PyTorch-style loop", "glassnet",
              glassnet.loop_full_batch(sizes, steps, lr), GLASSNET, "loop"),
        _impl("torch", "PyTorch eager (2 threads)", "rival",
              torch.full_batch_steps(sizes, steps, lr), TORCH),
        _impl("numpy", "minimal NumPy MLP (NumPy floor)", "floor",
              numpy_impl.full_batch_steps(sizes, steps, lr)),
    ]
    return Case(
        2, "Tiny network: XOR 2-4-1, full-batch Adam steps", "µs/step", 1e6, steps,
        datasets.xor, impls, floor="numpy",
        params={"layers": sizes, "hidden": "tanh", "steps": steps, "optimizer": "Adam",
                "lr": lr, "loss": "sigmoid binary cross-entropy"},
    )


def _case_tabular(quick: bool) -> Case:
    n, epochs = (1000, 1) if quick else (10000, 5)
    batch, lr = 32, 1e-3
    sizes = TABULAR_NET
    steps = math.ceil(n / batch) * epochs
    impls = [
        _impl("glassnet-fit", "glassnet, Keras-style fit", "glassnet",
              glassnet.fit_epochs(sizes, epochs, batch, lr), GLASSNET, "fit"),
        _impl("glassnet-loop", "glassnet, PyTorch-style loop", "glassnet",
              glassnet.loop_epochs(sizes, epochs, batch, lr), GLASSNET, "loop"),
        _impl("torch", "PyTorch eager (2 threads)", "rival",
              torch.train_epochs(sizes, epochs, batch, lr), TORCH),
        _impl("sklearn", f"scikit-learn MLPClassifier (max_iter={epochs})", "rival",
              sklearn.train_epochs(sizes[1:-1], epochs, batch, lr), SKLEARN),
        _impl("numpy", "minimal NumPy MLP (NumPy floor)", "floor",
              numpy_impl.train_epochs(sizes, epochs, batch, lr)),
        _impl("gemm", "GEMM floor", "floor", numpy_impl.gemm_epochs(sizes, epochs, batch)),
    ]
    return Case(
        3, f"Tabular: {n} x 20, binary, batch 32, {epochs} epoch{'s' * (epochs > 1)}",
        "µs/step", 1e6, steps,
        lambda: datasets.tabular(n), impls, flops=mlp_gemm_flops(sizes, n) * epochs,
        floor="gemm",
        params={"rows": n, "layers": sizes, "batch_size": batch, "epochs": epochs,
                "steps": steps, "optimizer": "Adam", "lr": lr,
                "loss": "sigmoid binary cross-entropy"},
    )


def _case_predict(quick: bool) -> Case:
    n, sizes = (500 if quick else 10000), MNIST_MLP
    impls = [
        _impl("glassnet-predict", "glassnet, Keras-style predict", "glassnet",
              glassnet.predict_keras(sizes), GLASSNET, "predict"),
        _impl("glassnet-no-grad", "glassnet, module under no_grad", "glassnet",
              glassnet.predict_no_grad(sizes), GLASSNET, "no_grad"),
        _impl("torch", "PyTorch eager, no_grad (2 threads)", "rival", torch.predict(sizes),
              TORCH),
        _impl("sklearn", "scikit-learn MLPClassifier", "rival",
              sklearn.predict(sizes[1:-1], sizes[-1]), SKLEARN),
        _impl("numpy", "minimal NumPy MLP (NumPy floor)", "floor", numpy_impl.predict(sizes)),
        _impl("gemm", "GEMM floor", "floor", numpy_impl.gemm_predict(sizes)),
    ]
    return Case(
        4, f"Inference: predict on {n} x 784 with case 1's network", "ms", 1e3, 1,
        lambda: datasets.mnist_like(n, seed=2)[0], impls,
        flops=mlp_gemm_flops(sizes, n, train=False), floor="gemm", repeats=None if quick else 20,
        params={"rows": n, "layers": sizes, "batch_size": n},
    )


def _case_digits(quick: bool) -> Case:
    max_epochs, batch, lr, sizes = (1 if quick else 100), 32, 1e-3, DIGITS_NET
    target = DIGITS_TARGET
    impls = [
        _impl("glassnet-fit", "glassnet, Keras-style fit", "glassnet",
              glassnet.fit_to_target(sizes, batch, lr, target, max_epochs), GLASSNET, "fit"),
        _impl("glassnet-loop", "glassnet, PyTorch-style loop", "glassnet",
              glassnet.loop_to_target(sizes, batch, lr, target, max_epochs), GLASSNET, "loop"),
        _impl("torch", "PyTorch eager (2 threads)", "rival",
              torch.train_to_target(sizes, batch, lr, target, max_epochs), TORCH),
        _impl("sklearn", "scikit-learn MLPClassifier", "rival",
              sklearn.train_to_target(sizes[1:-1], batch, lr, target, max_epochs), SKLEARN),
        _impl("numpy", "minimal NumPy MLP", "floor",
              numpy_impl.train_to_target(sizes, batch, lr, target, max_epochs)),
    ]
    return Case(
        5, f"Digits end to end: train until test accuracy >= {target}", "s", 1.0, 1,
        datasets.digits, impls, repeats=2 if quick else 3,
        params={"layers": sizes, "batch_size": batch, "optimizer": "Adam", "lr": lr,
                "target_accuracy": target, "max_epochs": max_epochs, "test_size": 0.2,
                "random_state": 42, "scaling": "pixels / 16"},
    )


IMPORTS = {"python": None, "glassnet": "glassnet", "torch": "torch",
           "sklearn": "sklearn.neural_network"}


def _case_import(quick: bool) -> Case:
    impls = [
        _impl("glassnet", "import glassnet", "glassnet", importtime.importer("glassnet")),
        _impl("torch", "import torch", "rival", importtime.importer("torch")),
        _impl("sklearn", "import sklearn.neural_network", "rival",
              importtime.importer("sklearn.neural_network")),
        _impl("python", "python -c pass (subtracted)", "baseline", importtime.importer(None)),
    ]
    return Case(
        6, "Import time in a fresh interpreter, and installed size", "ms", 1e3, 1,
        lambda: None, impls, warmup=0 if quick else 1, repeats=1 if quick else 5,
        postprocess=importtime.subtract_baseline,
        memory_command=lambda key: importtime.memory_command(IMPORTS[key]),
        params={"python": sys.version.split()[0],
                "method": "python -c 'import X' minus python -c 'pass'"},
    )


BUILDERS = {1: _case_mlp, 2: _case_xor, 3: _case_tabular, 4: _case_predict, 5: _case_digits,
            6: _case_import, 7: _case_mlp_continued}


def build_case(case_id: int, quick: bool = False) -> Case:
    """The case with this id, sized for a full or a --quick run.

    Example:
        >>> case = build_case(1, quick=True)
        >>> case.params["rows"], [impl.key for impl in case.impls][:2]
        (1000, ['glassnet-fit', 'glassnet-loop'])
    """
    if case_id not in BUILDERS:
        raise ValueError(f"unknown case {case_id}: choose from {sorted(BUILDERS)}")
    return BUILDERS[case_id](quick)

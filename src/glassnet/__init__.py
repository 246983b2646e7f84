"""glassnet: neural networks you can see inside, in readable NumPy.

One engine (tensors with autograd, layers, losses, optimizers) driven three ways:
PyTorch style (``nn.Module`` + your own loop), Keras style (``compile``/``fit``) and
scikit-learn style (``glassnet.sklearn``).

Example:
    >>> import glassnet as gn
    >>> x = gn.tensor([[1.0, 2.0]])
    >>> w = gn.tensor([[0.5], [-1.0]], requires_grad=True)
    >>> (x @ w).sum().backward()
    >>> w.grad.ravel()
    array([1., 2.], dtype=float32)
"""

import importlib

from glassnet import functional, nn, optim
from glassnet.backend import (
    float32,
    float64,
    get_default_dtype,
    int64,
    seed,
    set_default_dtype,
)
from glassnet.creation import (
    arange,
    from_numpy,
    full,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from glassnet.functional import cat, concatenate, stack, where
from glassnet.gradcheck import gradcheck  # eager: the module of the same name would shadow it
from glassnet.nn import Sequential, init
from glassnet.tensor import Tensor, enable_grad, is_grad_enabled, no_grad

__version__ = "0.1.0"

# Imported on first use, so ``import glassnet`` stays fast (the engine above is what
# every program needs; datasets, training, plots and file formats load when touched).
_LAZY = {
    "data": ("glassnet.data", None),
    "io": ("glassnet.io", None),
    "training": ("glassnet.training", None),
    "viz": ("glassnet.viz", None),
    "callbacks": ("glassnet.training.callbacks", None),
    "metrics": ("glassnet.training.metrics", None),
    "Model": ("glassnet.training.model", "Model"),
    "Perceptron": ("glassnet.perceptron", "Perceptron"),
    "load": ("glassnet.io.serialization", "load"),
    "save": ("glassnet.io.serialization", "save"),
    "explain": ("glassnet.viz.explain", "explain"),
    "export_onnx": ("glassnet.io.onnx_export", "export_onnx"),
    "tune": ("glassnet.tuning", "tune"),
}


__all__ = [
    "Sequential", "Tensor", "arange", "cat", "concatenate", "enable_grad", "float32", "float64",
    "from_numpy", "full", "functional", "get_default_dtype", "gradcheck", "init", "int64",
    "is_grad_enabled", "nn", "no_grad", "ones", "ones_like", "optim", "rand", "randn", "seed",
    "set_default_dtype", "stack", "tensor", "where", "zeros", "zeros_like", *_LAZY,
]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'glassnet' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list:
    return sorted(set(globals()) | set(_LAZY))

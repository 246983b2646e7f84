"""glassnet: neural networks you can see inside, in readable NumPy.

One engine (tensors with autograd, layers, losses, optimizers) driven three ways:
PyTorch style (``nn.Module`` + your own loop), Keras style (``compile``/``fit``) and
scikit-learn style (``glassnet.sklearn``). PyTorch and Keras tutorials run with only the
import changed: ``import glassnet as torch`` (``torch.FloatTensor``, ``torch.max``,
``torch.nn.functional``, ``torch.utils.data``, ...) and ``from glassnet import keras``
(or ``import glassnet as tf`` for ``tf.keras``).

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
    bool_,
    device,
    float32,
    float64,
    get_default_dtype,
    int32,
    int64,
    seed,
    set_default_dtype,
)
from glassnet.compat import (
    DoubleTensor,
    FloatTensor,
    IntTensor,
    LongTensor,
    argmax,
    argmin,
    mean,
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
from glassnet.functional import (
    cat,
    clamp,
    clip,
    concatenate,
    exp,
    log,
    log_softmax,
    matmul,
    maximum,
    minimum,
    relu,
    sigmoid,
    softmax,
    sqrt,
    stack,
    tanh,
    where,
)
from glassnet.gradcheck import gradcheck  # eager: the module of the same name would shadow it
from glassnet.nn import Sequential, init
from glassnet.tensor import Tensor, enable_grad, is_grad_enabled, no_grad, set_grad_enabled

# PyTorch's names that hide Python's own: gn.sum, gn.max, gn.abs, ... (they are left out
# of __all__, so ``from glassnet import *`` keeps Python's sum and max)
from glassnet.compat import max, min, round, sum  # noqa: F401
from glassnet.functional import abs  # noqa: F401

# PyTorch's names for the same things: torch.manual_seed, torch.float, torch.long, ...
manual_seed = seed
float = float32
double = float64
long = int64
int = int32
bool = bool_

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
    "cuda": ("glassnet.cuda", None),
    "keras": ("glassnet.keras", None),
    "utils": ("glassnet.utils", None),
}


# ``from glassnet import *`` leaves out the names that would hide Python's own (sum, max,
# min, abs, round, float, int, bool): use them as gn.sum, gn.max, ...
__all__ = [
    "DoubleTensor", "FloatTensor", "IntTensor", "LongTensor", "Sequential", "Tensor", "arange",
    "argmax", "argmin", "cat", "clamp", "clip", "concatenate", "device", "double",
    "enable_grad", "exp", "float32", "float64", "from_numpy", "full", "functional",
    "get_default_dtype", "gradcheck", "init", "int32", "int64", "is_grad_enabled", "log",
    "log_softmax", "long", "manual_seed", "matmul", "maximum", "mean", "minimum", "nn",
    "no_grad", "ones", "ones_like", "optim", "rand", "randn", "relu", "seed",
    "set_default_dtype", "set_grad_enabled", "sigmoid", "softmax", "sqrt", "stack", "tanh",
    "tensor", "where", "zeros", "zeros_like", *_LAZY,
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

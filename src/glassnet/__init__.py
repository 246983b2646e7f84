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

from glassnet import data, functional, nn, optim
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
from glassnet.gradcheck import gradcheck
from glassnet.io.serialization import load, save
from glassnet.nn import Sequential, init
from glassnet.perceptron import Perceptron
from glassnet.tensor import Tensor, enable_grad, is_grad_enabled, no_grad
from glassnet.training import Model, callbacks, metrics
from glassnet.viz.explain import explain

__version__ = "0.1.0"

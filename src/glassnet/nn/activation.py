"""Activation layers, and the one table that turns ``activation="relu"`` into a layer.

Each layer applies one function of ``glassnet.functional`` (where the maths and the
derivative are documented). ``get_activation`` resolves names for ``nn.Dense`` and
``nn.Activation``; every activation module carries its table name in ``activation_name``
(the Keras-style fit loop uses it to fuse a final sigmoid/softmax with the loss).

Example:
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> nn.ReLU()(gn.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    >>> get_activation("tanh")
    Tanh()
"""

from __future__ import annotations

from glassnet import functional as F
from glassnet.nn.module import Module


class ReLU(Module):
    """``relu(z) = max(0, z)``; the default for hidden layers.

    Args:
        inplace: accepted for PyTorch compatibility; glassnet never overwrites inputs.

    Shape:
        any; output has the input's shape.

    Example:
        >>> import glassnet as gn
        >>> ReLU()(gn.tensor([-1.0, 0.5]))
        tensor([0. , 0.5])
    """

    activation_name = "relu"

    def __init__(self, inplace: bool = False):
        super().__init__()

    def forward(self, z):
        return F.relu(z)

    def get_config(self) -> dict:
        return {}


class LeakyReLU(Module):
    """``leaky_relu(z) = z if z > 0 else negative_slope * z``.

    Example:
        >>> import glassnet as gn
        >>> LeakyReLU(0.1)(gn.tensor([-10.0, 2.0]))
        tensor([-1.,  2.])
    """

    activation_name = "leaky_relu"

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, z):
        return F.leaky_relu(z, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"

    def get_config(self) -> dict:
        return {"negative_slope": self.negative_slope}


class ELU(Module):
    """``elu(z) = z if z > 0 else alpha * (e^z - 1)``.

    Example:
        >>> import glassnet as gn
        >>> ELU()(gn.tensor([-1.0, 1.0]))
        tensor([-0.6321,  1.    ])
    """

    activation_name = "elu"

    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__()
        self.alpha = alpha

    def forward(self, z):
        return F.elu(z, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"

    def get_config(self) -> dict:
        return {"alpha": self.alpha}


class GELU(Module):
    """``gelu(z) = z * Phi(z)`` (exact erf form; ``approximate="tanh"`` for the tanh form).

    Example:
        >>> import glassnet as gn
        >>> GELU()(gn.tensor([1.0]))
        tensor([0.8413])
    """

    activation_name = "gelu"

    def __init__(self, approximate: str = "none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', "
                             f"received {approximate!r}")
        self.approximate = approximate

    def forward(self, z):
        return F.gelu(z, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"

    def get_config(self) -> dict:
        return {"approximate": self.approximate}


class Sigmoid(Module):
    """``sigmoid(z) = 1 / (1 + e^-z)``; the output for binary classification.

    Example:
        >>> import glassnet as gn
        >>> Sigmoid()(gn.tensor([0.0]))
        tensor([0.5])
    """

    activation_name = "sigmoid"

    def forward(self, z):
        return F.sigmoid(z)

    def get_config(self) -> dict:
        return {}


class Tanh(Module):
    """``tanh(z)``, in (-1, 1).

    Example:
        >>> import glassnet as gn
        >>> Tanh()(gn.tensor([0.0]))
        tensor([0.])
    """

    activation_name = "tanh"

    def forward(self, z):
        return F.tanh(z)

    def get_config(self) -> dict:
        return {}


class Softplus(Module):
    """``softplus(z) = ln(1 + e^z)``, a smooth ReLU.

    Example:
        >>> import glassnet as gn
        >>> Softplus()(gn.tensor([0.0]))
        tensor([0.6931])
    """

    activation_name = "softplus"

    def forward(self, z):
        return F.softplus(z)

    def get_config(self) -> dict:
        return {}


class SiLU(Module):
    """``silu(z) = z * sigmoid(z)`` (also called swish).

    Example:
        >>> import glassnet as gn
        >>> SiLU()(gn.tensor([1.0]))
        tensor([0.7311])
    """

    activation_name = "silu"

    def __init__(self, inplace: bool = False):
        super().__init__()

    def forward(self, z):
        return F.silu(z)

    def get_config(self) -> dict:
        return {}


class Softmax(Module):
    """``softmax(z)_i = e^z_i / sum_j e^z_j`` along ``dim``; the multi-class output.

    Args:
        dim: the axis that sums to 1 (default -1, the last one).

    Example:
        >>> import glassnet as gn
        >>> Softmax(dim=1)(gn.tensor([[1.0, 1.0]]))
        tensor([[0.5, 0.5]])
    """

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    @property
    def activation_name(self):
        # the class axis of (N, C) scores: only then can the fit loop fuse it with the loss
        return "softmax" if self.dim in (-1, 1) else None

    def forward(self, z):
        return F.softmax(z, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"

    def get_config(self) -> dict:
        return {"dim": self.dim}


class LogSoftmax(Softmax):
    """``log_softmax(z) = z - log(sum_j e^z_j)`` along ``dim``; pairs with ``NLLLoss``.

    Example:
        >>> import glassnet as gn
        >>> LogSoftmax()(gn.tensor([0.0, 0.0]))
        tensor([-0.6931, -0.6931])
    """

    @property
    def activation_name(self):
        return "log_softmax" if self.dim in (-1, 1) else None

    def forward(self, z):
        return F.log_softmax(z, self.dim)


class Identity(Module):
    """Returns its input unchanged ("linear" activation; a placeholder layer).

    Example:
        >>> import glassnet as gn
        >>> Identity()(gn.tensor([3.0]))
        tensor([3.])
    """

    activation_name = "linear"

    def __init__(self, *args, **kwargs):  # PyTorch's Identity ignores its arguments too
        super().__init__()

    def forward(self, x):
        return x

    def get_config(self) -> dict:
        return {}


#: activation names -> layer classes. The one table behind ``activation="..."``.
ACTIVATIONS = {
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "elu": ELU,
    "gelu": GELU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "softplus": Softplus,
    "silu": SiLU,
    "swish": SiLU,
    "softmax": Softmax,
    "log_softmax": LogSoftmax,
    "linear": Identity,
}

# the functional forms resolve to the same layers: activation=F.relu works like "relu"
_FUNCTIONS = {
    F.relu: "relu", F.leaky_relu: "leaky_relu", F.elu: "elu", F.gelu: "gelu",
    F.sigmoid: "sigmoid", F.tanh: "tanh", F.softplus: "softplus", F.silu: "silu",
    F.softmax: "softmax", F.log_softmax: "log_softmax",
}


def get_activation(activation):
    """Resolve an activation: a name, None/"linear" (Identity), a Module or a callable.

    Returns an activation module for names and glassnet's functional activations
    (``F.relu``), the module or callable itself otherwise.

    Raises:
        ValueError: for an unknown name, listing the valid names.

    Example:
        >>> get_activation("swish"), get_activation(None)
        (SiLU(), Identity())
    """
    if activation is None:
        return Identity()
    if isinstance(activation, Module):
        return activation
    if isinstance(activation, dict):  # activation_config()'s {"class_name", "config"} form
        classes = {cls.__name__: cls for cls in ACTIVATIONS.values()}
        if activation.get("class_name") not in classes:
            raise ValueError(f"Unknown activation class {activation.get('class_name')!r}. "
                             f"Valid classes: {', '.join(sorted(classes))}")
        return classes[activation["class_name"]](**activation.get("config", {}))
    if isinstance(activation, str):
        key = activation.strip().lower()
        if key not in ACTIVATIONS:
            raise ValueError(f"Unknown activation {activation!r}. Valid names: "
                             f"{', '.join(sorted(ACTIVATIONS))}")
        return ACTIVATIONS[key]()
    if callable(activation):
        try:
            name = _FUNCTIONS.get(activation)
        except TypeError:  # unhashable callable
            name = None
        return ACTIVATIONS[name]() if name else activation
    raise TypeError(f"An activation must be a name, None, a Module or a callable, received "
                    f"{type(activation).__name__}")


def activation_name_of(activation) -> str | None:
    """The table name of a resolved activation (None for a custom callable).

    Example:
        >>> activation_name_of(get_activation("relu")), activation_name_of(lambda x: x)
        ('relu', None)
    """
    return getattr(activation, "activation_name", None)


def activation_config(activation):
    """A JSON-friendly description that ``get_activation`` turns back into the activation.

    A plain name when the layer has its default settings, else its class and config.

    Example:
        >>> activation_config(ReLU()), activation_config(LeakyReLU(0.2))
        ('relu', {'class_name': 'LeakyReLU', 'config': {'negative_slope': 0.2}})
    """
    name = activation_name_of(activation)
    if name is None or not isinstance(activation, Module):
        raise TypeError(f"Cannot describe the custom activation {activation!r} in a config; "
                        f"use a name from {sorted(ACTIVATIONS)}")
    config = activation.get_config()
    if config == ACTIVATIONS[name]().get_config():
        return name
    return {"class_name": type(activation).__name__, "config": config}


class Activation(Module):
    """Keras's ``Activation("relu")``: an activation layer chosen by name.

    Args:
        activation: a name from the table ("relu", "sigmoid", "softmax", ...), None or
            "linear" for the identity, or a callable.

    Example:
        >>> import glassnet as gn
        >>> layer = Activation("sigmoid")
        >>> layer, layer(gn.tensor([0.0]))
        (Activation('sigmoid'), tensor([0.5]))
    """

    def __init__(self, activation, name: str | None = None):
        super().__init__()
        # kept out of the child registry: it is this layer's function, not a sub-layer
        self.__dict__["function"] = get_activation(activation)
        if name is not None:
            self.name = name

    @property
    def activation_name(self):
        return activation_name_of(self.function)

    def forward(self, z):
        return self.function(z)

    def extra_repr(self) -> str:
        name = self.activation_name
        return repr(name) if name else repr(self.function)

    def get_config(self) -> dict:
        return {"activation": activation_config(self.function)}

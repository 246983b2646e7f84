"""Layers, losses, initialisers and regularisers: everything a network is built from.

PyTorch style (``nn.Module``, ``nn.Linear``, ``nn.ReLU``, ``nn.MSELoss``) and Keras style
(``nn.Dense(64, activation="relu")``, ``nn.Dropout(rate=0.2)``, ``nn.BatchNormalization``)
are the same classes underneath.

Example:
    >>> import glassnet as gn
    >>> from glassnet import nn
    >>> net = nn.Sequential(nn.Linear(2, 4, rng=0), nn.ReLU(), nn.Dense(1, rng=0))
    >>> net(gn.ones(3, 2)).shape, net.num_parameters()
    ((3, 1), 17)
"""

from glassnet.nn import functional, init, regularizers, utils
from glassnet.nn.activation import (
    ACTIVATIONS,
    ELU,
    GELU,
    Activation,
    Identity,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    Tanh,
    get_activation,
)
from glassnet.nn.container import (
    ModuleDict,
    ModuleList,
    Sequential,
    layer_from_config,
)
from glassnet.nn.conv import Conv2D, Conv2d
from glassnet.nn.dropout import Dropout
from glassnet.nn.init import get_initializer
from glassnet.nn.linear import Dense, Linear
from glassnet.nn.loss import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
)
from glassnet.nn.module import Module, Parameter
from glassnet.nn.normalization import BatchNorm1d, BatchNormalization
from glassnet.nn.pooling import (
    AveragePooling2D,
    AvgPool2D,
    AvgPool2d,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    MaxPool2D,
    MaxPool2d,
    MaxPooling2D,
)
from glassnet.nn.recurrent import GRU, LSTM, SimpleRNN
from glassnet.nn.regularizers import L1, L1L2, L2, get_regularizer
from glassnet.nn.reshape import Flatten, InputLayer

__all__ = [
    "ACTIVATIONS", "Activation", "AveragePooling2D", "AvgPool2D", "AvgPool2d", "BCELoss",
    "BCEWithLogitsLoss", "BatchNorm1d", "BatchNormalization", "Conv2D", "Conv2d",
    "CrossEntropyLoss", "Dense", "Dropout", "ELU", "Flatten", "GELU", "GRU",
    "GlobalAveragePooling2D", "GlobalMaxPooling2D", "HuberLoss", "Identity", "InputLayer", "L1",
    "L1L2", "L1Loss", "L2", "LSTM", "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "MaxPool2D",
    "MaxPool2d", "MaxPooling2D", "Module", "ModuleDict", "ModuleList", "NLLLoss", "Parameter",
    "ReLU", "Sequential", "SiLU", "Sigmoid", "SimpleRNN", "Softmax", "Softplus", "Tanh",
    "functional", "get_activation", "get_initializer", "get_regularizer", "init",
    "layer_from_config", "regularizers", "utils",
]

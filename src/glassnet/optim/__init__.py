"""Optimizers, learning-rate schedules and gradient clipping (PyTorch's ``torch.optim``).

Every optimizer updates the parameters' ``.data`` in place from their ``.grad``:

    opt = optim.Adam(model.parameters(), lr=1e-3)
    for X, y in batches:
        opt.zero_grad()
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()

Keyword names are PyTorch's (``lr``, ``betas``, ``eps``, ``alpha``); the Keras spellings
(``learning_rate``, ``beta_1``, ``beta_2``, ``epsilon``, ``rho``) are accepted too.
``OPTIMIZERS`` maps the names used in ``Model.compile(optimizer="adam")`` to the classes.

Example:
    >>> import glassnet as gn
    >>> from glassnet import optim
    >>> w = gn.tensor([3.0], requires_grad=True)
    >>> opt = optim.SGD([w], lr=0.25)
    >>> for _ in range(20):
    ...     opt.zero_grad()
    ...     ((w - 1.0) ** 2).sum().backward()     # minimum at w = 1
    ...     opt.step()
    >>> round(w.item(), 4)
    1.0
"""

from glassnet.optim import lr_scheduler
from glassnet.optim.adagrad import Adagrad
from glassnet.optim.adam import Adam, AdamW
from glassnet.optim.clip import clip_grad_norm_, clip_grad_value_
from glassnet.optim.optimizer import Optimizer
from glassnet.optim.rmsprop import RMSprop
from glassnet.optim.sgd import SGD

#: name -> optimizer class, for ``optimizer="adam"``-style strings (lower-case names).
OPTIMIZERS = {"sgd": SGD, "rmsprop": RMSprop, "adagrad": Adagrad, "adam": Adam, "adamw": AdamW}

__all__ = ["Optimizer", "SGD", "RMSprop", "Adagrad", "Adam", "AdamW", "lr_scheduler",
           "clip_grad_norm_", "clip_grad_value_", "OPTIMIZERS"]

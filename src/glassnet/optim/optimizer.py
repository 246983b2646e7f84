"""The base class of every optimizer: parameter groups, per-parameter state and ``step()``.

An optimizer holds the parameters (weights) of a model and changes them from their
gradients. ``loss.backward()`` fills each parameter's ``.grad``; ``step()`` reads it and
updates ``.data`` in place with the optimizer's rule, e.g. for plain gradient descent:

    w = w - lr * dL/dw

The arrays are changed in place, never replaced, because layers and other code hold on
to them. Parameters can be split into groups with their own options (PyTorch's param
groups), e.g. a smaller learning rate for a pretrained part of a network. The state of a
parameter (momentum, running averages) is created on its first step and kept in
``optimizer.state[param]``.

Writing your own optimizer takes one method, ``update_step``, that changes the arrays in
place (``init_state`` creates per-parameter state, ``check_hyperparameters`` validates):

Example:
    >>> import numpy as np
    >>> import glassnet as gn
    >>> from glassnet.optim import Optimizer
    >>> class SignSGD(Optimizer):
    ...     '''w = w - lr * sign(g)'''
    ...     def __init__(self, params, lr=0.01):
    ...         super().__init__(params, {"lr": lr})
    ...     def update_step(self, param, grad, state, group):
    ...         param -= group["lr"] * np.sign(grad)
    >>> w = gn.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = SignSGD([w], lr=0.5)
    >>> (w * w).sum().backward()          # dL/dw = 2w = [2, -4]
    >>> opt.step()                        # w = [1, -2] - 0.5 * [1, -1]
    >>> w.data
    array([ 0.5, -1.5], dtype=float32)
"""

from __future__ import annotations

import copy
import numbers
from collections import defaultdict

import numpy as np

from glassnet.tensor import Tensor, enable_grad

__all__ = ["Optimizer", "add_scaled_", "flush_subnormals_"]

_EMPTY_PARAMS_HELP = (
    "optimizer got an empty parameter list. If the model builds its layers lazily "
    "(Keras-style nn.Dense without input_shape), it has no weights yet: call the model once "
    "on a batch of inputs (or give the first layer input_shape=...) before creating the "
    "optimizer, or create the optimizer without parameters and let Model.compile add them"
)


def add_scaled_(target: np.ndarray, scale: float, x: np.ndarray, work: np.ndarray) -> None:
    """``target += scale * x`` in place, using ``work`` (shaped like ``target``) for ``scale * x``.

    NumPy has no fused ``a * x + y``, so this is two passes over the data and no new array
    (``work`` may be ``x`` itself). With ``scale == 1`` it is one pass.

    Example:
        >>> import numpy as np
        >>> m, g = np.array([1.0, 2.0]), np.array([10.0, 20.0])
        >>> add_scaled_(m, 0.1, g, np.empty(2))      # m = m + 0.1 * g
        >>> m
        array([2., 4.])
    """
    if scale == 1:
        target += x
        return
    np.multiply(x, scale, out=work)
    target += work


def flush_subnormals_(x: np.ndarray, work: np.ndarray) -> None:
    """Set the numbers of ``x`` that are smaller than the smallest normal float to 0, in place.

    A running average decays where its gradient stays exactly 0 (the weights of a dead ReLU
    unit): ``m = 0.9 * m`` every step takes ``m`` below ``np.finfo(float32).tiny`` (1.2e-38)
    after a few hundred steps, into the subnormal numbers, and the CPU's arithmetic on those
    is ~20 times slower. Such values are far too small to move a weight, so 0 is as good.
    ``work`` is scratch space shaped like ``x``.

    Example:
        >>> import numpy as np
        >>> m = np.array([1e-3, 1e-39, -1e-40, 0.0], dtype=np.float32)
        >>> flush_subnormals_(m, np.empty_like(m))
        >>> m
        array([0.001, 0.   , 0.   , 0.   ], dtype=float32)
    """
    np.abs(x, out=work)
    np.copyto(x, 0, where=work < np.finfo(x.dtype).tiny)


class Optimizer:
    """Base class of the optimizers: holds parameter groups and per-parameter state.

    Args:
        params: the tensors to optimize (e.g. ``model.parameters()``), or a list of dicts,
            one per parameter group, each with a ``"params"`` entry and options that override
            ``defaults`` (e.g. ``[{"params": body}, {"params": head, "lr": 1e-2}]``), or
            ``(name, tensor)`` pairs as from ``model.named_parameters()``. ``None`` creates
            an optimizer without parameters yet (Keras style: ``Model.compile`` adds them
            with ``add_param_group``).
        defaults: the options of the optimizer (``{"lr": 0.01, ...}``), used by every group
            that does not set its own.

    Attributes:
        param_groups: list of dicts, one per group: ``"params"`` (list of tensors) and the
            options (``"lr"``, ...). Change ``group["lr"]`` to change a learning rate.
        state: dict from parameter to its state dict (e.g. ``{"step": 3, "exp_avg": ...}``),
            filled on the parameter's first step.
        defaults: the options given to the constructor.

    A plain tensor must have ``requires_grad=True`` (otherwise it could never be trained);
    a parameter switched off with ``requires_grad_(False)`` (an ``nn.Parameter``, a frozen
    weight) is accepted and skipped while it has no gradient, as in PyTorch.

    Example:
        >>> import glassnet as gn
        >>> from glassnet import optim
        >>> w, b = gn.ones(2, requires_grad=True), gn.zeros(1, requires_grad=True)
        >>> opt = optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.5}], lr=0.1)
        >>> [group["lr"] for group in opt.param_groups]
        [0.1, 0.5]
        >>> opt.lr                           # the first group's learning rate
        0.1
    """

    #: True when ``update_step`` treats every number on its own (no norms over a whole
    #: tensor), so packing the parameters into one array changes nothing: ``Model.fit``
    #: then calls ``flatten_parameters()``. The built-in optimizers set it; yours may.
    elementwise: bool = False
    #: An elementwise optimizer updates a group of at most this many numbers in one go
    #: (copied into one array, updated, copied back; each ``p.data`` stays the same array):
    #: for small models a dozen NumPy calls per parameter cost more than the numbers.
    gather_limit: int = 1 << 16
    #: Every this many steps, numbers in the state (running averages) that decayed into
    #: the slow subnormal range are set to 0 (see ``flush_subnormals_``); 0 never does.
    flush_every: int = 8

    def __init__(self, params, defaults: dict):
        self.defaults = dict(defaults)
        self.check_hyperparameters(self.defaults)
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict] = []
        self._flat: dict[int, _FlatGroup] = {}  # group index -> packed arrays (flatten_parameters)
        self._workspaces: dict[np.dtype, np.ndarray] = {}  # scratch space, see _workspace
        self._steps = 0  # calls of step(), for flush_every
        if params is not None:
            for group in self._as_groups(params):
                self.add_param_group(group)

    # -- what subclasses define -----------------------------------------------------------
    def check_hyperparameters(self, group: dict) -> None:
        """Raise ValueError for a bad option of a group (or of the defaults).

        The base class checks the options most optimizers share (``lr``, ``eps``,
        ``weight_decay``); subclasses add theirs and call ``super()``.
        """
        self._require(group, "lr", lambda lr: lr > 0, "Invalid learning rate", "lr > 0")
        self._require(group, "eps", lambda eps: eps >= 0, "Invalid epsilon value", "eps >= 0")
        self._require(group, "weight_decay", lambda wd: wd >= 0, "Invalid weight_decay value",
                      "weight_decay >= 0")

    def init_state(self, param: np.ndarray, group: dict) -> dict:
        """The state of a parameter before its first step (arrays preallocated here)."""
        return {}

    def update_step(self, param: np.ndarray, grad: np.ndarray, state: dict, group: dict) -> None:
        """Update ``param`` in place from ``grad``; change the arrays in ``state`` in place.

        ``param`` and ``grad`` are NumPy arrays of the same shape (``grad`` already negated
        when the group maximizes). The rule must be elementwise: ``flatten_parameters``
        runs it once on all the parameters of a group packed into one array.
        """
        raise NotImplementedError(f"{type(self).__name__} must define update_step()")

    # -- parameter groups -----------------------------------------------------------------
    def _as_groups(self, params) -> list:
        where = type(self).__name__
        if isinstance(params, Tensor):
            raise TypeError(
                f"{where}: params should be an iterable of Tensors or dicts, received a single "
                f"Tensor of shape {params.shape}; wrap it in a list: {where}([w], ...)"
            )
        if isinstance(params, numbers.Number):
            raise TypeError(
                f"{where}: params should be an iterable of Tensors or dicts, received the "
                f"number {params!r}; give the learning rate by name: {where}(params, lr={params!r})"
            )
        if isinstance(params, (set, frozenset, dict)):
            raise TypeError(
                f"{where}: params should be a list (ordered), received a {type(params).__name__}; "
                f"use a list of tensors, or a list of dicts for parameter groups"
            )
        try:
            params = list(params)
        except TypeError:
            raise TypeError(
                f"{where}: params should be an iterable of Tensors or dicts, received "
                f"{type(params).__name__}"
            ) from None
        if not params:
            raise ValueError(f"{where}: {_EMPTY_PARAMS_HELP}")
        if isinstance(params[0], dict):
            return params
        return [{"params": params}]

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters with its own options (missing ones come from defaults).

        Example:
            >>> import glassnet as gn
            >>> from glassnet import optim
            >>> opt = optim.Adam([gn.ones(2, requires_grad=True)], lr=0.01)
            >>> opt.add_param_group({"params": [gn.zeros(3, requires_grad=True)], "lr": 0.1})
            >>> len(opt.param_groups), opt.param_groups[1]["lr"], opt.param_groups[1]["betas"]
            (2, 0.1, (0.9, 0.999))
        """
        where = type(self).__name__
        if not isinstance(param_group, dict):
            raise TypeError(
                f"{where}.add_param_group: expected a dict with a 'params' entry, received "
                f"{type(param_group).__name__}"
            )
        if "params" not in param_group:
            raise ValueError(
                f"{where}: parameter group {len(self.param_groups)} has no 'params' entry; "
                f"received keys {sorted(param_group)}"
            )
        group = dict(param_group)
        params, names = self._group_params(group["params"])
        group["params"] = params
        if names is not None:
            group["param_names"] = names
        for name, default in self.defaults.items():
            group.setdefault(name, default)
        self.check_hyperparameters(group)
        self.param_groups.append(group)

    def _group_params(self, params) -> tuple[list, list | None]:
        """The group's tensors (and names, for ``named_parameters()`` pairs), checked."""
        where = type(self).__name__
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(
                f"{where}: the parameters of a group must be an ordered list, not a set"
            )
        params = list(params)
        if not params:
            raise ValueError(f"{where}: {_EMPTY_PARAMS_HELP}")
        names = None
        if all(isinstance(p, tuple) and len(p) == 2 for p in params):
            names = [name for name, _ in params]
            params = [p for _, p in params]
        seen = {id(p) for group in self.param_groups for p in group["params"]}
        for index, p in enumerate(params):
            self._check_param(index, p)
            if id(p) in seen:
                raise ValueError(
                    f"{where}: some parameters appear more than once (parameter {index} of shape "
                    f"{p.shape} is already in this or another parameter group)"
                )
            seen.add(id(p))
        return params, names

    def _check_param(self, index: int, p) -> None:
        where = type(self).__name__
        if not isinstance(p, Tensor):
            raise TypeError(
                f"{where}: optimizer can only optimize Tensors, but parameter {index} is "
                f"{type(p).__module__}.{type(p).__name__}; wrap arrays with "
                f"gn.tensor(array, requires_grad=True)"
            )
        if not p.is_leaf:
            raise ValueError(
                f"{where}: can't optimize a non-leaf Tensor (parameter {index} was computed "
                f"from other tensors); optimize the tensors it came from, or use "
                f".detach().requires_grad_()"
            )
        if type(p) is Tensor and not p.requires_grad:
            raise ValueError(
                f"{where}: parameter {index} (shape {p.shape}) does not require grad, so it "
                f"would never be trained; create it with requires_grad=True or call "
                f".requires_grad_()"
            )

    # -- stepping -------------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients before the next ``backward()`` (they accumulate otherwise).

        Args:
            set_to_none: set ``.grad`` to None (default, as in PyTorch) rather than filling
                the existing arrays with zeros.
        """
        for index, group in enumerate(self.param_groups):
            flat = self._flat.get(index)
            if not set_to_none and flat is not None and flat.grads_in_place(group["params"]):
                flat.grad.fill(0)  # one call for the whole group
                continue
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.fill(0)

    def step(self, closure=None):
        """Update every parameter that has a gradient, in place.

        Args:
            closure: optional function that clears the gradients, recomputes the loss, calls
                ``backward()`` and returns the loss (run before the update).

        Returns:
            The closure's loss, or None.
        """
        if not self.param_groups:
            raise RuntimeError(
                f"{type(self).__name__} has no parameters yet: pass them when creating it "
                f"({type(self).__name__}(model.parameters(), ...)), call add_param_group(), or "
                f"give it to Model.compile"
            )
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for index, group in enumerate(self.param_groups):
            flat = self._flat_group(index, group)
            if flat is None and self._small(group):
                flat = self._pack(index, group["params"], rebind=False)
            if flat is not None and self._step_flat(flat, group):
                continue
            if flat is not None:
                flat.state = None  # stepped one by one: pack the state again next time
            self._step_each(group)
        self._steps += 1
        if self.flush_every and self._steps % self.flush_every == 0:
            self._flush_subnormal_state()
        return loss

    def _flush_subnormal_state(self) -> None:
        arrays = {}
        for state in self.state.values():
            for value in state.values():
                if isinstance(value, np.ndarray) and value.dtype.kind == "f":
                    # a packed group's states are views of one array: flush that one, once
                    whole = value.base if isinstance(value.base, np.ndarray) else value
                    arrays[id(whole)] = whole
        for array in arrays.values():
            flush_subnormals_(array, self._workspace(array))

    def _step_each(self, group: dict) -> None:
        for p in group["params"]:
            if p.grad is None:
                continue
            self._check_grad(p)
            state = self.state[p]
            if not state:
                state.update(self.init_state(p.data, group))
            self.update_step(p.data, self._direction(p.grad, group), state, group)

    @staticmethod
    def _direction(grad: np.ndarray, group: dict) -> np.ndarray:
        """The gradient the rule descends: ``-grad`` when the group maximizes."""
        return np.negative(grad) if group.get("maximize") else grad

    def _check_grad(self, p: Tensor) -> None:
        if p.grad.shape != p.data.shape:
            raise ValueError(
                f"{type(self).__name__}: a parameter of shape {p.data.shape} has a .grad of shape "
                f"{p.grad.shape}; they must match"
            )

    def _workspace(self, like: np.ndarray) -> np.ndarray:
        """Scratch space shaped like ``like``: one buffer reused by every parameter, not state."""
        buffer = self._workspaces.get(like.dtype)
        if buffer is None or buffer.size < like.size:
            buffer = self._workspaces[like.dtype] = np.empty(like.size, like.dtype)
        return buffer[: like.size].reshape(like.shape)

    # -- the learning rate ----------------------------------------------------------------
    @property
    def lr(self) -> float:
        """The learning rate of the first group; setting it sets every group's (and the default).

        LR schedulers and Keras-style callbacks use it; for different rates per group, use
        ``param_groups[i]["lr"]``.
        """
        return self.param_groups[0]["lr"] if self.param_groups else self.defaults["lr"]

    @lr.setter
    def lr(self, value: float) -> None:
        self._require({"lr": value}, "lr", lambda lr: lr > 0, "Invalid learning rate", "lr > 0")
        self.defaults["lr"] = value
        for group in self.param_groups:
            group["lr"] = value

    learning_rate = lr  # the Keras name

    # -- saving and loading ---------------------------------------------------------------
    def state_dict(self) -> dict:
        """The optimizer's state as plain data (arrays copied), in PyTorch's layout.

        ``{"state": {index: {name: value}}, "param_groups": [{options..., "params": [indices]}]}``
        where ``index`` numbers the parameters across groups in order.

        Example:
            >>> import glassnet as gn
            >>> from glassnet import optim
            >>> w = gn.ones(2, requires_grad=True)
            >>> opt = optim.Adam([w], lr=0.1)
            >>> w.sum().backward(); opt.step()
            >>> saved = opt.state_dict()
            >>> saved["state"][0]["step"], sorted(saved["state"][0])
            (1, ['exp_avg', 'exp_avg_sq', 'step'])
            >>> saved["param_groups"][0]["params"], saved["param_groups"][0]["lr"]
            ([0], 0.1)
        """
        groups = []
        state = {}
        index = 0
        for group in self.param_groups:
            saved = {key: copy.deepcopy(value) for key, value in group.items() if key != "params"}
            saved["params"] = list(range(index, index + len(group["params"])))
            for p in group["params"]:
                if self.state.get(p):
                    state[index] = {key: _copy(value) for key, value in self.state[p].items()}
                index += 1
            groups.append(saved)
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Load a ``state_dict()``: options and per-parameter state (arrays copied).

        The optimizer must have the same number of groups and of parameters per group as the
        one that was saved; the parameters are matched by position.
        """
        where = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict) or {"state", "param_groups"} - state_dict.keys():
            raise ValueError(
                f"{where}: expected a dict with 'state' and 'param_groups' (from state_dict()), "
                f"received {type(state_dict).__name__}"
                + (f" with keys {sorted(state_dict)}" if isinstance(state_dict, dict) else "")
            )
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"{where}: loaded state dict has a different number of parameter groups "
                f"({len(saved_groups)} saved, {len(self.param_groups)} in this optimizer)"
            )
        params = []
        for i, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"{where}: loaded state dict contains a parameter group that doesn't match "
                    f"the size of optimizer's group: group {i} has {len(saved['params'])} "
                    f"parameters saved and {len(group['params'])} here"
                )
            params.extend(group["params"])
        new_state = defaultdict(dict)
        for key, saved in state_dict["state"].items():
            if not 0 <= int(key) < len(params):
                raise ValueError(
                    f"{where}: state for parameter {key}, but the optimizer has {len(params)} "
                    f"parameters"
                )
            p = params[int(key)]
            new_state[p] = {name: self._loaded_value(where, key, name, value, p)
                            for name, value in saved.items()}
        new_groups = []
        for group, saved in zip(self.param_groups, saved_groups):
            options = {k: copy.deepcopy(v) for k, v in saved.items() if k != "params"}
            self.check_hyperparameters({**group, **options})
            new_groups.append(options)
        for group, options in zip(self.param_groups, new_groups):
            group.update(options)
        self.state = new_state
        for flat in self._flat.values():
            flat.state = None  # packed again from the loaded state on the next step

    @staticmethod
    def _loaded_value(where: str, index, name: str, value, p: Tensor):
        if isinstance(value, Tensor):
            value = value.data
        if not isinstance(value, np.ndarray):
            return copy.deepcopy(value)
        if value.shape != p.shape:
            raise ValueError(
                f"{where}: state '{name}' of parameter {index} has shape {value.shape}, but the "
                f"parameter has shape {p.shape}"
            )
        return np.array(value, dtype=p.dtype, copy=True)

    # -- the one-flat-buffer fast path ----------------------------------------------------
    def flatten_parameters(self) -> None:
        """Pack each group's parameters into one contiguous array, so a step is a dozen big
        NumPy calls instead of a dozen calls per parameter.

        Every ``p.data`` becomes a view into the group's buffer (the values are copied in
        once), and the gradients and state are packed the same way. The update is the same
        to the last bit. Because ``p.data`` is rebound, an array you took from ``p.data``
        (or ``.numpy()``) before this call no longer follows training: take it again
        afterwards. Layers read ``p.data`` on every call, so models are unaffected.

        It stays correct when things move: a parameter whose ``.data`` was replaced since
        (e.g. by ``module.to(dtype)``) is packed again, and a step where some parameter has
        no gradient runs parameter by parameter. Groups that mix dtypes or whose parameters
        share memory (tied weights), and groups added later, stay unpacked (call it again).
        ``zero_grad(set_to_none=False)`` then zeroes a group's gradients in one call and
        ``backward()`` accumulates into the packed buffer (no copy in ``step``).

        Example:
            >>> import numpy as np
            >>> import glassnet as gn
            >>> from glassnet import optim
            >>> w, b = gn.ones((2, 2), requires_grad=True), gn.zeros(2, requires_grad=True)
            >>> opt = optim.SGD([w, b], lr=0.1)
            >>> opt.flatten_parameters()
            >>> w.data.base is b.data.base          # both are views of one buffer now
            True
            >>> (w.sum() + 2 * b.sum()).backward(); opt.step()
            >>> w.data[0], b.data
            (array([0.9, 0.9], dtype=float32), array([-0.2, -0.2], dtype=float32))
        """
        for index, group in enumerate(self.param_groups):
            flat = self._flat.get(index)
            if flat is None or not flat.rebinds or not flat.holds(group["params"]):
                self._pack(index, group["params"])

    def _small(self, group: dict) -> bool:
        params = group["params"]
        return (self.elementwise and len(params) > 1
                and sum(p.data.size for p in params) <= self.gather_limit)

    def _pack(self, index: int, params: list, rebind: bool = True) -> _FlatGroup | None:
        flat = None
        arrays = [p.data for p in params]
        overlapping = any(np.may_share_memory(a, b) for i, a in enumerate(arrays)
                          for b in arrays[i + 1:])  # e.g. tied weights: keep them shared
        if len({a.dtype for a in arrays}) == 1 and not overlapping:
            flat = _FlatGroup(params, rebind)
            if not flat.holds(params):  # p.data could not be rebound: stay unpacked
                flat = None
        if flat is None:
            self._flat.pop(index, None)
        else:
            self._flat[index] = flat
        return flat

    def _flat_group(self, index: int, group: dict) -> _FlatGroup | None:
        flat = self._flat.get(index)
        if flat is not None and not flat.holds(group["params"]):
            flat = self._pack(index, group["params"], flat.rebinds)  # a p.data was replaced
        return flat

    def _step_flat(self, flat: _FlatGroup, group: dict) -> bool:
        """One update of the whole packed group; False if it must go parameter by parameter."""
        params = group["params"]
        if any(p.grad is None for p in params):
            return False
        states = [self.state.get(p) for p in params]
        if flat.state is None and not flat.pack_state(states, params):
            return False  # e.g. the first step, which creates the state
        for p in params:
            self._check_grad(p)
        flat.gather_grads(params)
        if not flat.rebinds:
            flat.gather_params(params)
        self.update_step(flat.param, self._direction(flat.grad, group), flat.state, group)
        if not flat.rebinds:
            flat.scatter_params(params)
        flat.share_state(states)
        return True

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k not in ("params", "param_names")):
                lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)

    # -- helpers for check_hyperparameters ------------------------------------------------
    def _require(self, group: dict, name: str, is_valid, message: str, expected: str) -> None:
        """Check ``group[name]`` (if present): a real number for which ``is_valid`` holds."""
        if name not in group:
            return
        value = group[name]
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(
                f"{type(self).__name__}: {name} must be a number, received {value!r} "
                f"({type(value).__name__})"
            )
        if not is_valid(value):
            raise ValueError(f"{type(self).__name__}: {message}: {value} (expected {expected})")


def _copy(value):
    return np.array(value, copy=True) if isinstance(value, np.ndarray) else copy.deepcopy(value)


def keras_alias(where: str, name: str, value, keras_name: str, keras_value, default):
    """The value of an option that has a PyTorch name and a Keras name (give one, not both).

    Example:
        >>> keras_alias("SGD", "weight_decay", None, "decay", 0.01, default=0.0)
        0.01
        >>> keras_alias("SGD", "weight_decay", None, "decay", None, default=0.0)
        0.0
    """
    if value is not None and keras_value is not None:
        raise TypeError(
            f"{where}: got both {name}={value!r} and {keras_name}={keras_value!r}; they are the "
            f"same setting (PyTorch and Keras spellings), pass only one"
        )
    if value is not None:
        return value
    return keras_value if keras_value is not None else default


class _FlatGroup:
    """A parameter group packed into contiguous arrays (see ``Optimizer.flatten_parameters``).

    ``param`` holds every parameter's values back to back and each ``p.data`` is a view
    into it; ``grad`` and the state arrays are laid out the same way. The update rules are
    elementwise, so one call on the packed arrays equals one call per parameter.
    """

    def __init__(self, params: list, rebind: bool = True):
        self.rebinds = rebind
        self.shapes = [p.shape for p in params]
        ends = np.cumsum([p.data.size for p in params]).tolist()
        self.slices = [slice(end - p.data.size, end) for p, end in zip(params, ends)]
        self.param = np.concatenate([p.data.ravel() for p in params])  # a copy
        self.grad = np.zeros_like(self.param)
        self.param_views = self.views(self.param)
        self.grad_views = self.views(self.grad)
        if rebind:
            for p, view in zip(params, self.param_views):
                p.data = view
        self.state = None  # packed on a step where every parameter already has its state

    def views(self, flat: np.ndarray) -> list:
        return [flat[part].reshape(shape) for part, shape in zip(self.slices, self.shapes)]

    def holds(self, params: list) -> bool:
        """True while every ``p.data`` is still its view into ``param`` (or, for a group
        that is gathered each step, still has its shape and dtype)."""
        if not self.rebinds:
            return all(p.data.shape == shape and p.data.dtype == self.param.dtype
                       for p, shape in zip(params, self.shapes))
        return all(p.data is view for p, view in zip(params, self.param_views))

    def gather_params(self, params: list) -> None:
        np.concatenate([p.data.ravel() for p in params], out=self.param)

    def scatter_params(self, params: list) -> None:
        for p, view in zip(params, self.param_views):
            p.data[...] = view

    def grads_in_place(self, params: list) -> bool:
        return all(p.grad is view for p, view in zip(params, self.grad_views))

    def gather_grads(self, params: list) -> None:
        """Copy the gradients into ``grad`` (one pass) and make each ``p.grad`` its view."""
        if self.grads_in_place(params):
            return
        np.concatenate([p.grad.ravel() for p in params], out=self.grad)
        if self.rebinds:
            for p, view in zip(params, self.grad_views):
                p.grad = view

    def pack_state(self, states: list, params: list) -> bool:
        """Pack the per-parameter states; each parameter's arrays become views of the packed.

        Possible when every parameter has a state with the same entries and the same
        numbers (e.g. the same ``step``); returns False otherwise.
        """
        if any(state is None for state in states):
            return False
        first = states[0]
        arrays = {key for key, value in first.items() if isinstance(value, np.ndarray)}
        for state, p in zip(states, params):
            if state.keys() != first.keys():
                return False
            if any(state[key].shape != p.shape for key in arrays):
                return False
            if any(state[key] != first[key] for key in first.keys() - arrays):
                return False
        self.state = {key: value for key, value in first.items() if key not in arrays}
        for key in arrays:
            self.state[key] = np.concatenate([state[key].ravel() for state in states])
        for state in states:
            state.clear()
        self.share_state(states)
        return True

    def share_state(self, states: list) -> None:
        """Give each parameter its part of the packed state (arrays as views, numbers copied)."""
        for key, value in self.state.items():
            if not isinstance(value, np.ndarray):
                for state in states:
                    state[key] = value
            elif key not in states[0]:
                for state, view in zip(states, self.views(value)):
                    state[key] = view

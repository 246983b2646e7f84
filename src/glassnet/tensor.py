"""Tensors and reverse-mode automatic differentiation.

A ``Tensor`` wraps a NumPy array (``.data``). When it was computed from other tensors
that require gradients, it remembers the ``Op`` that made it; ``backward()`` walks these
ops once, from the output back to the inputs, applying the chain rule:

    dL/dinput = dL/doutput * doutput/dinput        (each op supplies the second factor)

and adds the result into the ``.grad`` of every leaf tensor (your weights).

Every differentiable operation is a small ``Op`` subclass (see ``glassnet/ops/``):
``forward(*arrays)`` computes the result and saves what the backward pass needs on
``self``; ``backward(grad)`` returns one gradient per input (``None`` where
``self.needs_input_grad[i]`` is False). Graph wiring, ``no_grad`` and dtype checks live
once, in ``Op.apply``.

Example:
    >>> import glassnet as gn
    >>> x = gn.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = (x * x).sum()          # y = x1^2 + x2^2 + x3^2
    >>> y.backward()               # dy/dx = 2x
    >>> x.grad
    array([2., 4., 6.], dtype=float32)
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from glassnet import backend

_grad_enabled = True


# ----------------------------------------------------------------------------- grad mode


def is_grad_enabled() -> bool:
    """True when operations record a graph for ``backward()``.

    Example:
        >>> import glassnet as gn
        >>> is_grad_enabled()
        True
        >>> with gn.no_grad():
        ...     is_grad_enabled()
        False
    """
    return _grad_enabled


class _GradMode:
    """Base of ``no_grad``/``enable_grad``: a context manager that is also a decorator."""

    enabled = True

    def __enter__(self):
        global _grad_enabled
        self._previous = _grad_enabled
        _grad_enabled = self.enabled

    def __exit__(self, *exc_info):
        global _grad_enabled
        _grad_enabled = self._previous

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return function(*args, **kwargs)

        return wrapper


class no_grad(_GradMode):
    """Build no graph inside this block (or decorated function): faster, less memory.

    Use it for prediction and for updating weights by hand.

    Example:
        >>> import glassnet as gn
        >>> w = gn.ones(2, requires_grad=True)
        >>> with gn.no_grad():
        ...     y = w * 2
        >>> y.requires_grad
        False
    """

    enabled = False


class set_grad_enabled:
    """Switch graph recording on or off: at once, or for a ``with`` block (PyTorch's name).

    ``gn.set_grad_enabled(False)`` turns recording off until it is switched on again;
    ``with gn.set_grad_enabled(is_training):`` switches it for the block only and then
    restores the previous setting (handy in a loop shared by training and evaluation).

    Args:
        mode: True to record a graph for ``backward()``, False not to (as ``no_grad``).

    Example:
        >>> import glassnet as gn
        >>> w = gn.ones(2, requires_grad=True)
        >>> with set_grad_enabled(False):
        ...     y = w * 2
        >>> y.requires_grad, is_grad_enabled()
        (False, True)
        >>> _ = set_grad_enabled(False); is_grad_enabled()
        False
        >>> _ = set_grad_enabled(True)
    """

    def __init__(self, mode: bool):
        global _grad_enabled
        self._previous = _grad_enabled
        _grad_enabled = bool(mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        global _grad_enabled
        _grad_enabled = self._previous


class enable_grad(_GradMode):
    """Record a graph again inside a ``no_grad`` block.

    Example:
        >>> import glassnet as gn
        >>> w = gn.ones(2, requires_grad=True)
        >>> with gn.no_grad():
        ...     with gn.enable_grad():
        ...         y = w * 2
        >>> y.requires_grad
        True
    """

    enabled = True


# ----------------------------------------------------------------------------- ops


def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Undo NumPy broadcasting in a backward pass: sum ``grad`` down to ``shape``.

    If an input of shape (3,) was broadcast to (4, 3), each of its elements was used 4
    times, so its gradient is the sum over the 4 rows.

    Example:
        >>> unbroadcast(np.ones((4, 3)), (3,))
        array([4., 4., 4.])
        >>> unbroadcast(np.ones((4, 3)), (4, 1))[:, 0]
        array([3., 3., 3., 3.])
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if stretched:
        grad = grad.sum(axis=stretched, keepdims=True)
    return grad


class Op:
    """One differentiable operation: subclasses define ``forward`` and ``backward``.

    Call ``SomeOp.apply(*inputs, **params)``: it turns the inputs into tensors, runs
    ``forward`` on their arrays and, when gradients are needed, links the result to
    this op so ``backward()`` can find it.

    Attributes:
        inputs: the input tensors (set by ``apply`` when a graph is recorded).
        needs_input_grad: one bool per input: does that input need a gradient?

    Example:
        A new op ``y = x^2`` with ``dy/dx = 2x``: forward saves x, backward returns
        ``dL/dx = dL/dy * 2x`` (one grad per input; a single input may return it bare).

        >>> import glassnet as gn
        >>> class Square(Op):
        ...     __module__ = "my_ops"   # a user's op: not one of glassnet's registered ops
        ...     def forward(self, x):
        ...         self.x = x
        ...         return x * x
        ...     def backward(self, grad):
        ...         return grad * 2 * self.x
        >>> x = gn.tensor([1.0, -3.0], requires_grad=True)
        >>> y = Square.apply(x)
        >>> y
        tensor([1., 9.], grad_fn=<Square>)
        >>> y.sum().backward(); x.grad
        array([ 2., -6.], dtype=float32)
    """

    #: positions of inputs allowed to stay integer or bool (labels, masks).
    integer_inputs: tuple = ()
    #: True when ``backward`` returns new arrays that nothing else holds (e.g. the matrix
    #: products of ``Linear``): a weight can then keep one as its ``.grad`` without a copy.
    fresh_grads = False
    freed = False

    def forward(self, *arrays: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        """Compute the output array from the input arrays; save what ``backward`` needs."""
        raise NotImplementedError

    def backward(self, grad: np.ndarray):  # pragma: no cover - abstract
        """dL/doutput -> dL/dinput for each input (None where ``needs_input_grad`` is False)."""
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **params) -> "Tensor":
        """Run the op on ``inputs`` (tensors, arrays or numbers) with settings ``params``.

        Non-tensor inputs become tensors of the inputs' float dtype (mixed float dtypes
        raise TypeError); the result is linked to the graph only when grad mode is on and
        some input requires grad. A ValueError from ``forward`` is reworded to name the op
        and the input shapes.
        """
        tensors = _as_tensors(cls, inputs)
        op = cls(**params)
        needs = tuple([t.requires_grad for t in tensors])
        record = _grad_enabled and any(needs)
        op.needs_input_grad = needs if record else (False,) * len(needs)
        try:
            out = op.forward(*[t.data for t in tensors])
        except ValueError as error:
            if str(error).startswith(cls.__name__):
                raise
            shapes = ", ".join(str(t.shape) for t in tensors)
            raise ValueError(f"{cls.__name__} on shapes {shapes}: {error}") from None
        if record:
            op.inputs = tensors
            return Tensor._from_op(out, op)
        return Tensor._from_op(out, None)

    def release(self) -> None:
        """Drop the saved arrays after ``backward()``; a second pass then raises."""
        self.__dict__.clear()
        self.freed = True

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


def _as_tensors(op_class, inputs) -> tuple:
    """Turn an op's inputs into tensors with one float dtype (constants follow it)."""
    if _all_float_tensors(inputs):  # the common case, checked in a few hundred ns
        return inputs
    float_dtype = None
    for x in inputs:
        if isinstance(x, Tensor) and x.data.dtype.kind == "f":
            if float_dtype is None:
                float_dtype = x.data.dtype
            elif x.data.dtype != float_dtype:
                raise TypeError(
                    f"{op_class.__name__}: inputs have different dtypes ({float_dtype} and "
                    f"{x.data.dtype}); glassnet never converts silently: call "
                    f".astype(...) on one of them"
                )
    float_dtype = float_dtype or backend.get_default_dtype()
    tensors = []
    for position, x in enumerate(inputs):
        keep_integer = position in op_class.integer_inputs
        if isinstance(x, Tensor):
            if x.data.dtype.kind != "f" and not keep_integer:
                x = Tensor._from_op(x.data.astype(float_dtype), None)
            tensors.append(x)
            continue
        array = np.asarray(x)
        if not keep_integer or array.dtype.kind == "f":
            array = array.astype(float_dtype, copy=False)
        tensors.append(Tensor._from_op(array, None))
    return tuple(tensors)


def _all_float_tensors(inputs: tuple) -> bool:
    """True when every input is already a Tensor and all share one float dtype."""
    if not inputs or not isinstance(inputs[0], Tensor):
        return False
    dtype = inputs[0].data.dtype
    if dtype.kind != "f":
        return False
    for x in inputs[1:]:
        if not isinstance(x, Tensor) or x.data.dtype != dtype:
            return False
    return True


# ----------------------------------------------------------------------------- tensor


def _to_array(data, dtype=None, copy=True) -> np.ndarray:
    """Convert data to an array: floats become the default dtype unless told otherwise."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        dtype = backend.as_dtype(dtype)
        return np.array(data, dtype=dtype) if copy else np.asarray(data, dtype=dtype)
    array = np.array(data) if copy else np.asarray(data)
    if array.dtype.kind == "f" and array.dtype != backend.get_default_dtype():
        return array.astype(backend.get_default_dtype())
    if array.dtype.kind in "iu" and array.dtype != np.int64:
        return array.astype(np.int64)
    if array.dtype.kind not in "fiub":
        raise TypeError(
            f"Cannot make a tensor from data of dtype {array.dtype}; expected numbers or bools"
        )
    return array


class Tensor:
    """An n-dimensional array that can record how it was computed, for ``backward()``.

    Args:
        data: array-like (lists, NumPy arrays, numbers). Floats become float32 (the default
            dtype) unless ``dtype`` says otherwise; integers stay integers.
        requires_grad: record operations on this tensor so ``backward()`` fills ``.grad``.
        dtype: ``gn.float32``, ``gn.float64``, a NumPy dtype or its name.

    Attributes:
        data: the NumPy array.
        grad: the gradient of the last ``backward()`` w.r.t. this tensor (same shape), or None.
        requires_grad: whether gradients flow to this tensor.

    Example:
        >>> import glassnet as gn
        >>> gn.Tensor([[1, 2], [3, 4]], dtype=gn.float64)
        tensor([[1., 2.],
                [3., 4.]], dtype=float64)
    """

    __slots__ = ("data", "grad", "requires_grad", "_op", "_retain_grad", "__weakref__")
    __array_priority__ = 1000  # ndarray + Tensor calls Tensor.__radd__
    __array_ufunc__ = None

    def __init__(self, data, requires_grad: bool = False, dtype=None):
        self.data = _to_array(data, dtype, copy=False)
        self.grad = None
        self._op = None
        self._retain_grad = False
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _from_op(cls, data: np.ndarray, op) -> "Tensor":
        """Fast internal constructor: wrap an array produced by an op (no conversion)."""
        t = object.__new__(cls)
        t.data = data if type(data) is np.ndarray else np.asarray(data)
        t.grad = None
        t._op = op
        t._retain_grad = False
        t.requires_grad = op is not None
        return t

    # -- basic properties ----------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        """The size of each axis, e.g. ``(2, 3)``."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of axes."""
        return self.data.ndim

    @property
    def dtype(self) -> np.dtype:
        """The NumPy dtype of the data (float32 by default)."""
        return self.data.dtype

    def size(self, dim: int | None = None):
        """The shape, or the length of axis ``dim`` (PyTorch's ``x.size()``, ``x.size(0)``).

        Unlike NumPy's ``array.size`` (the number of elements: that is ``numel()``).

        Example:
            >>> import glassnet as gn
            >>> x = gn.zeros(4, 3)
            >>> x.size(), x.size(0), x.size(-1), x.numel()
            ((4, 3), 4, 3, 12)
        """
        if dim is None:
            return self.data.shape
        if not -self.ndim <= dim < self.ndim:
            raise IndexError(f"size: dim {dim} is out of range for a tensor with {self.ndim} "
                             f"axes (shape {self.shape})")
        return self.data.shape[dim]

    def numel(self) -> int:
        """The number of elements (the product of ``shape``; NumPy's ``array.size``).

        Example:
            >>> import glassnet as gn
            >>> gn.zeros(2, 3).numel()
            6
        """
        return self.data.size

    def dim(self) -> int:
        """The number of axes (PyTorch's ``x.dim()``; the same as ``x.ndim``)."""
        return self.data.ndim

    @property
    def is_leaf(self) -> bool:
        """True for tensors you created (weights, inputs), False for computed ones."""
        return self._op is None

    @property
    def grad_fn(self):
        """The op that computed this tensor (None for leaves)."""
        return self._op

    @property
    def T(self) -> "Tensor":
        """The transpose (axes reversed); ``x.T`` of an (n, m) matrix is (m, n).

        Example:
            >>> import glassnet as gn
            >>> gn.tensor([[1.0, 2.0], [3.0, 4.0]]).T
            tensor([[1., 3.],
                    [2., 4.]])
        """
        return self.transpose()

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(
                f"The truth value of a tensor with {self.data.size} elements is ambiguous; "
                f"use .any() or .all()"
            )
        return bool(self.data)

    def __array__(self, dtype=None, copy=None):
        return self.data if dtype is None else self.data.astype(dtype)

    def numpy(self) -> np.ndarray:
        """The underlying NumPy array (shares memory; no gradient)."""
        return self.data

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(
                f"item() needs a tensor with one element, received shape {self.shape}"
            )
        return self.data.item()

    def tolist(self):
        """The data as nested Python lists (no gradient)."""
        return self.data.tolist()

    def detach(self) -> "Tensor":
        """A new tensor with the same data, cut from the graph (no gradient)."""
        return Tensor._from_op(self.data, None)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Set ``requires_grad`` in place (floating-point tensors only); returns self."""
        if requires_grad and self.data.dtype.kind != "f":
            raise TypeError(
                f"Only floating-point tensors can require gradients, this one is "
                f"{self.data.dtype}"
            )
        if not self.is_leaf and not requires_grad:
            raise RuntimeError("requires_grad can only be switched off on a leaf; use detach()")
        self.requires_grad = bool(requires_grad)
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this computed (non-leaf) tensor after ``backward()``."""
        self._retain_grad = True

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (``.grad = None``)."""
        self.grad = None

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(", precision=4)
        extras = ""
        if self.dtype not in (backend.get_default_dtype(), np.int64, np.bool_):
            extras += f", dtype={self.dtype}"
        if self._op is not None:
            extras += f", grad_fn={self._op!r}"
        elif self.requires_grad:
            extras += ", requires_grad=True"
        return f"tensor({body}{extras})"

    # -- autograd ------------------------------------------------------------------------
    def backward(self, gradient=None, retain_graph: bool = False) -> None:
        """Compute the gradient of this tensor w.r.t. every leaf that requires grad.

        Args:
            gradient: dL/dself, needed when this tensor is not a single number.
            retain_graph: keep the graph so ``backward()`` can run through it again.

        The gradients are added to each leaf's ``.grad`` (call ``zero_grad`` between steps).

        Example:
            >>> import glassnet as gn
            >>> x = gn.tensor([1.0, 2.0], requires_grad=True)
            >>> y = (x * x).sum()              # y = x1^2 + x2^2, dy/dx = 2x
            >>> y.backward(); x.grad
            array([2., 4.], dtype=float32)
            >>> x.zero_grad()
            >>> (x * 3).backward(gn.tensor([1.0, 0.5])); x.grad   # dL/dy given: 3 * [1, 0.5]
            array([3. , 1.5], dtype=float32)
        """
        if not self.requires_grad:
            raise RuntimeError(
                "backward() on a tensor that does not require grad: none of the tensors it "
                "was computed from has requires_grad=True (or it was computed under no_grad())"
            )
        if gradient is None:
            if self.data.size != 1:
                raise RuntimeError(
                    f"backward() on a tensor of shape {self.shape} needs a gradient argument; "
                    f"reduce it to one number first (e.g. loss.sum().backward() or .mean())"
                )
            gradient = np.ones(self.data.shape, self.data.dtype)
        else:
            gradient = _to_array(gradient, dtype=self.dtype)
            if gradient.shape != self.shape:
                raise ValueError(
                    f"backward(): gradient shape {gradient.shape} does not match the "
                    f"tensor's shape {self.shape}"
                )
        grads = {id(self): gradient}
        owned = {}  # id -> gradient array that no one else holds: a leaf may keep it as is
        for node in reversed(_topological_order(self)):
            grad = grads.pop(id(node), None)
            if grad is None:
                continue
            if node._op is None:
                node._accumulate(grad, owned.get(id(grad)) is grad)
            elif node._retain_grad:
                node._accumulate(grad)
            if node._op is not None:
                _backward_through(node._op, grad, grads, retain_graph, owned)

    def _accumulate(self, grad: np.ndarray, owned: bool = False) -> None:
        """Add ``grad`` into ``.grad``; the first time, keep a copy (or ``grad`` itself when
        nothing else holds it: saves copying every weight gradient once per step)."""
        if self.grad is not None:
            self.grad += grad
        elif owned and grad.dtype == self.dtype:
            self.grad = grad
        else:
            self.grad = np.array(grad, dtype=self.dtype, copy=True)

    # -- operators (implemented by the op classes in glassnet/ops) ------------------------
    def __add__(self, other):
        return _math.Add.apply(self, other)

    def __radd__(self, other):
        return _math.Add.apply(other, self)

    def __sub__(self, other):
        return _math.Sub.apply(self, other)

    def __rsub__(self, other):
        return _math.Sub.apply(other, self)

    def __mul__(self, other):
        return _math.Mul.apply(self, other)

    def __rmul__(self, other):
        return _math.Mul.apply(other, self)

    def __truediv__(self, other):
        return _math.Div.apply(self, other)

    def __rtruediv__(self, other):
        return _math.Div.apply(other, self)

    def __pow__(self, exponent):
        return _math.Pow.apply(self, exponent)

    def __rpow__(self, base):
        return _math.Pow.apply(base, self)

    def __matmul__(self, other):
        return _math.MatMul.apply(self, other)

    def __rmatmul__(self, other):
        return _math.MatMul.apply(other, self)

    def __neg__(self):
        return _math.Neg.apply(self)

    def __getitem__(self, index):
        return _shape.GetItem.apply(self, index=_plain_index(index))

    # comparisons give boolean tensors that carry no gradient
    def _compare(self, other, numpy_op) -> "Tensor":
        other = other.data if isinstance(other, Tensor) else other
        return Tensor._from_op(numpy_op(self.data, other), None)

    def __lt__(self, other):
        return self._compare(other, np.less)

    def __le__(self, other):
        return self._compare(other, np.less_equal)

    def __gt__(self, other):
        return self._compare(other, np.greater)

    def __ge__(self, other):
        return self._compare(other, np.greater_equal)

    def __eq__(self, other):
        return self._compare(other, np.equal)

    def __ne__(self, other):
        return self._compare(other, np.not_equal)

    __hash__ = object.__hash__

    # -- elementwise maths ----------------------------------------------------------------
    def exp(self):
        """``e^x`` elementwise; d/dx = e^x (see ``functional.exp``)."""
        return _math.Exp.apply(self)

    def log(self):
        """``ln(x)`` elementwise; d/dx = 1/x (see ``functional.log``)."""
        return _math.Log.apply(self)

    def sqrt(self):
        """``sqrt(x)`` elementwise; d/dx = 1 / (2 sqrt(x)) (see ``functional.sqrt``)."""
        return _math.Sqrt.apply(self)

    def abs(self):
        """``|x|`` elementwise; d/dx = sign(x) (see ``functional.abs``)."""
        return _math.Abs.apply(self)

    def clip(self, min=None, max=None):
        """Limit values to ``[min, max]``; the gradient is 0 where a value was clipped.

        Example:
            >>> import glassnet as gn
            >>> gn.tensor([-1.0, 0.5, 3.0]).clip(0.0, 2.0)
            tensor([0. , 0.5, 2. ])
        """
        return _math.Clip.apply(self, low=min, high=max)

    clamp = clip

    def pow(self, exponent):
        """``x^exponent`` elementwise (``x ** exponent``); d/dx = exponent * x^(exponent - 1).

        Example:
            >>> import glassnet as gn
            >>> gn.tensor([2.0, 3.0]).pow(2)
            tensor([4., 9.])
        """
        return _math.Pow.apply(self, exponent)

    def round(self, decimals: int = 0) -> "Tensor":
        """Round to ``decimals`` places (halves to even, as NumPy and PyTorch); no gradient.

        Its derivative is 0 wherever it exists, so the result is cut from the graph.

        Example:
            >>> import glassnet as gn
            >>> gn.tensor([0.4, 0.5, 1.5, 2.71]).round(), gn.tensor([2.71]).round(1)
            (tensor([0., 0., 2., 3.]), tensor([2.7]))
        """
        return Tensor._from_op(np.round(self.data, decimals), None)

    def maximum(self, other):
        """Elementwise ``max(self, other)`` (broadcast); ties share the gradient."""
        return _math.Maximum.apply(self, other)

    def minimum(self, other):
        """Elementwise ``min(self, other)`` (broadcast); ties share the gradient."""
        return _math.Minimum.apply(self, other)

    def astype(self, dtype) -> "Tensor":
        """A copy in another dtype; gradients flow back in this tensor's dtype."""
        return _math.Cast.apply(self, dtype=backend.as_dtype(dtype))

    def float(self):
        """A float32 copy (``astype(gn.float32)``)."""
        return self.astype(backend.float32)

    def double(self):
        """A float64 copy (``astype(gn.float64)``)."""
        return self.astype(backend.float64)

    def long(self):
        """An int64 copy (``astype(gn.int64)``), e.g. class labels; no gradient flows back.

        Example:
            >>> import glassnet as gn
            >>> gn.tensor([1.0, 2.7]).long()
            tensor([1, 2])
        """
        return self.astype(backend.int64)

    def int(self):
        """An int32 copy (``astype("int32")``); no gradient flows back."""
        return self.astype(np.int32)

    def to(self, *targets, dtype=None, device=None) -> "Tensor":
        """PyTorch's ``x.to(device)``, ``x.to(dtype)`` or both: the CPU only, a dtype if asked.

        Args:
            *targets: a device ("cpu", ``gn.device("cpu")``) and/or a dtype (``gn.float64``,
                ``gn.long``, "float32"), in any order.
            dtype: the dtype, as a keyword.
            device: the device, as a keyword.

        Returns:
            This tensor when nothing changes (it is already on the CPU, in that dtype), else
            a copy in the new dtype (gradients flow back through it).

        Raises:
            RuntimeError: a device other than the CPU ("cuda", "mps"): glassnet runs on the CPU.

        Example:
            >>> import glassnet as gn
            >>> x = gn.tensor([1.0, 2.0])
            >>> x.to("cpu") is x, x.to(gn.float64).dtype
            (True, dtype('float64'))
            >>> x.to("cuda")
            Traceback (most recent call last):
            ...
            RuntimeError: Tensor.to: glassnet runs on the CPU only, received device 'cuda'; ...
        """
        dtype = backend.to_arguments(targets, dtype, device, "Tensor.to")
        if dtype is None or backend.as_dtype(dtype) == self.dtype:
            return self
        return self.astype(dtype)

    def cpu(self) -> "Tensor":
        """This tensor (it is on the CPU already: glassnet has no other device)."""
        return self

    def clone(self) -> "Tensor":
        """A copy with its own data; gradients flow back through it to this tensor.

        Example:
            >>> import glassnet as gn
            >>> x = gn.tensor([1.0, 2.0], requires_grad=True)
            >>> y = x.clone()
            >>> y.data[0] = 5.0                 # x keeps its values
            >>> (y * 3).sum().backward(); x.data, x.grad
            (array([1., 2.], dtype=float32), array([3., 3.], dtype=float32))
        """
        return _math.Cast.apply(self, dtype=self.dtype)

    # -- reductions (axis/keepdims as NumPy, dim/keepdim as PyTorch) ----------------------
    def sum(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """Sum over ``axis`` (all axes by default); d(sum)/dx = 1 for every element.

        Example:
            >>> import glassnet as gn
            >>> x = gn.tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> x.sum(), x.sum(axis=0), x.sum(dim=1, keepdim=True).shape
            (tensor(10.), tensor([4., 6.]), (2, 1))
        """
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return _red.Sum.apply(self, axis=axis, keepdims=keepdims)

    def mean(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
        """Mean over ``axis`` (all axes by default); d(mean)/dx = 1/n for each of the n values.

        Example:
            >>> import glassnet as gn
            >>> x = gn.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
            >>> m = x.mean()
            >>> m.backward(); m.item(), x.grad
            (2.5, array([[0.25, 0.25],
                         [0.25, 0.25]], dtype=float32))
        """
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return _red.Mean.apply(self, axis=axis, keepdims=keepdims)

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """Largest value: of all (``x.max()``), per axis (NumPy's ``axis=``) or PyTorch's pair.

        The gradient goes to the maximum; ties share it evenly.

        Args:
            dim: PyTorch style: an axis, and the result is the pair ``(values, indices)``
                (``values, indices = x.max(1)``), as ``torch.max(x, 1)``. A tensor here
                gives the elementwise ``maximum(x, dim)``, as in PyTorch.
            keepdim: keep the reduced axis with length 1 (with ``dim``).
            axis: NumPy style: an axis or a tuple of axes; the result is the values only.
            keepdims: keep the reduced axes with length 1 (with ``axis``).

        Example:
            >>> import glassnet as gn
            >>> x = gn.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)
            >>> y = x.max(axis=1)
            >>> y.sum().backward(); y, x.grad
            (tensor([5., 3.], grad_fn=<Max>), array([[0., 1.],
                                                     [1., 0.]], dtype=float32))
            >>> values, indices = x.max(1)
            >>> indices, x.max().item()
            (tensor([1, 0]), 5.0)
        """
        return self._extreme(_red.Max, dim, keepdim, axis, keepdims)

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """Smallest value, with the arguments of ``max`` (``dim`` gives ``(values, indices)``).

        Example:
            >>> import glassnet as gn
            >>> x = gn.tensor([[1.0, 5.0], [3.0, 2.0]])
            >>> x.min(), x.min(axis=0), x.min(1).indices
            (tensor(1.), tensor([1., 2.]), tensor([0, 1]))
        """
        return self._extreme(_red.Min, dim, keepdim, axis, keepdims)

    def _extreme(self, op, dim, keepdim, axis, keepdims):
        """``max``/``min``: values over ``axis`` (NumPy), or (values, indices) over ``dim``."""
        if isinstance(dim, Tensor):
            return (_math.Maximum if op is _red.Max else _math.Minimum).apply(self, dim)
        if dim is None:
            axis, keepdims = _axis_args(axis, keepdims, None, None)
            return op.apply(self, axis=axis, keepdims=keepdims)
        if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
            raise TypeError(f"{op.__name__.lower()}(dim): dim must be one axis (an int), "
                            f"received {dim!r}; use axis=... for several axes")
        values = op.apply(self, axis=int(dim), keepdims=bool(keepdim))
        where = self.data.argmax if op is _red.Max else self.data.argmin
        indices = Tensor._from_op(np.asarray(where(axis=int(dim), keepdims=bool(keepdim))), None)
        return ValuesIndices(values, indices)

    def var(self, axis=None, keepdims=False, *, dim=None, keepdim=None, ddof=0, correction=None):
        """Variance, ``mean((x - mean(x))^2)``; ``ddof=1`` (or ``correction=1``) divides by n-1.

        Unlike PyTorch the default is the population variance (ddof=0), as in NumPy and Keras.
        """
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        ddof = ddof if correction is None else correction
        centered = self - self.mean(axis=axis, keepdims=True)
        axes = range(self.ndim) if axis is None else _tuple(axis)
        count = int(np.prod([self.shape[a] for a in axes]))
        return (centered * centered).sum(axis=axis, keepdims=keepdims) / (count - ddof)

    def std(self, axis=None, keepdims=False, *, dim=None, keepdim=None, ddof=0, correction=None):
        """Standard deviation: the square root of ``var`` (same arguments)."""
        return self.var(axis, keepdims, dim=dim, keepdim=keepdim, ddof=ddof,
                        correction=correction).sqrt()

    def argmax(self, axis=None, keepdims=False, *, dim=None, keepdim=None) -> "Tensor":
        """Index of the largest value over ``axis`` (flat index when None); no gradient.

        Example:
            >>> import glassnet as gn
            >>> gn.tensor([[0.1, 0.9], [0.7, 0.3]]).argmax(axis=1)
            tensor([1, 0])
        """
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return Tensor._from_op(np.asarray(self.data.argmax(axis=axis, keepdims=keepdims)), None)

    def argmin(self, axis=None, keepdims=False, *, dim=None, keepdim=None) -> "Tensor":
        """Index of the smallest value over ``axis`` (flat index when None); no gradient."""
        axis, keepdims = _axis_args(axis, keepdims, dim, keepdim)
        return Tensor._from_op(np.asarray(self.data.argmin(axis=axis, keepdims=keepdims)), None)

    # -- shape ----------------------------------------------------------------------------
    def reshape(self, *shape):
        """The same values in a new shape (one entry may be -1); the gradient is reshaped back.

        Example:
            >>> import glassnet as gn
            >>> gn.arange(6.0).reshape(2, 3)
            tensor([[0., 1., 2.],
                    [3., 4., 5.]])
        """
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return _shape.Reshape.apply(self, shape=tuple(shape))

    view = reshape

    def transpose(self, *axes):
        """Reverse the axes (no arguments), swap two (PyTorch: ``transpose(0, 1)``) or permute."""
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        if len(axes) == 2 and self.ndim != 2:
            order = list(range(self.ndim))
            order[axes[0]], order[axes[1]] = order[axes[1]], order[axes[0]]
            axes = order
        return _shape.Transpose.apply(self, axes=tuple(axes) if axes else None)

    def t(self) -> "Tensor":
        """The transpose of a matrix (PyTorch's ``x.t()``; tensors of at most 2 axes).

        Example:
            >>> import glassnet as gn
            >>> gn.zeros(2, 3).t().shape
            (3, 2)
        """
        if self.ndim > 2:
            raise ValueError(f"t() expects a tensor with at most 2 axes, received shape "
                             f"{self.shape}; use transpose(dim0, dim1) or permute(...)")
        return self.transpose()

    def permute(self, *axes):
        """Reorder the axes: ``x.permute(2, 0, 1)`` moves the last axis first.

        Example:
            >>> import glassnet as gn
            >>> gn.zeros(2, 3, 4).permute(2, 0, 1).shape
            (4, 2, 3)
        """
        axes = axes[0] if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        return _shape.Transpose.apply(self, axes=tuple(axes))

    def flatten(self, start_dim=0, end_dim=-1):
        """Merge axes ``start_dim..end_dim`` into one (all of them by default)."""
        if self.ndim == 0:
            return self.reshape(1)
        start = start_dim % self.ndim
        end = end_dim % self.ndim
        merged = int(np.prod(self.shape[start:end + 1]))
        return self.reshape(self.shape[:start] + (merged,) + self.shape[end + 1:])

    def squeeze(self, axis=None, *, dim=None):
        """Remove axes of size 1 (all of them, or only ``axis``).

        Example:
            >>> import glassnet as gn
            >>> gn.zeros(2, 1, 3).squeeze().shape, gn.zeros(1, 3, 1).squeeze(0).shape
            ((2, 3), (3, 1))
        """
        axis = dim if dim is not None else axis
        if axis is None:
            shape = tuple(n for n in self.shape if n != 1)
        else:
            axes = {a % self.ndim for a in _tuple(axis)}
            shape = tuple(n for i, n in enumerate(self.shape) if i not in axes or n != 1)
        return self.reshape(shape)

    def unsqueeze(self, axis=None, *, dim=None):
        """Insert an axis of size 1 at ``axis`` (``expand_dims``).

        Example:
            >>> import glassnet as gn
            >>> gn.zeros(3).unsqueeze(0).shape, gn.zeros(3).unsqueeze(-1).shape
            ((1, 3), (3, 1))
        """
        axis = dim if dim is not None else axis
        axis = axis % (self.ndim + 1)
        return self.reshape(self.shape[:axis] + (1,) + self.shape[axis:])

    expand_dims = unsqueeze

    # -- activations ----------------------------------------------------------------------
    def relu(self):
        """``max(0, x)`` elementwise; d/dx = 1 where x > 0, else 0 (see ``functional.relu``)."""
        return _act.ReLU.apply(self)

    def sigmoid(self):
        """``1 / (1 + e^-x)``; d/dx = y (1 - y) (see ``functional.sigmoid``)."""
        return _act.Sigmoid.apply(self)

    def tanh(self):
        """``tanh(x)``; d/dx = 1 - y^2 (see ``functional.tanh``)."""
        return _act.Tanh.apply(self)

    def softmax(self, axis=-1, *, dim=None):
        """``e^x_i / sum_j e^x_j`` along ``axis``: probabilities summing to 1.

        Example:
            >>> import glassnet as gn
            >>> gn.tensor([1.0, 1.0]).softmax()
            tensor([0.5, 0.5])
        """
        return _act.Softmax.apply(self, axis=dim if dim is not None else axis)

    def log_softmax(self, axis=-1, *, dim=None):
        """``x - log(sum_j e^x_j)`` along ``axis``, computed stably."""
        return _act.LogSoftmax.apply(self, axis=dim if dim is not None else axis)


class ValuesIndices(NamedTuple):
    """What ``x.max(dim)`` and ``x.min(dim)`` return (PyTorch's ``torch.return_types.max``).

    Attributes:
        values: the largest (smallest) values along ``dim``; gradients flow through them.
        indices: where they are along ``dim`` (int64, no gradient).

    Example:
        >>> import glassnet as gn
        >>> result = gn.tensor([[1.0, 5.0], [3.0, 2.0]]).max(1)
        >>> result.values, result.indices
        (tensor([5., 3.]), tensor([1, 0]))
    """

    values: Tensor
    indices: Tensor


def _tuple(axis) -> tuple:
    return tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)


def _axis_args(axis, keepdims, dim, keepdim):
    """Accept NumPy's axis/keepdims and PyTorch's dim/keepdim spellings."""
    if dim is not None:
        axis = dim
    if keepdim is not None:
        keepdims = keepdim
    if isinstance(axis, list):
        axis = tuple(axis)
    return axis, bool(keepdims)


def _plain_index(index):
    """Indices may hold tensors (e.g. labels); use their arrays."""
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    return index


def _topological_order(root: Tensor) -> list:
    """Tensors reachable from ``root`` through ops, inputs before outputs (iterative DFS).

    Each computed tensor is pushed with the list of its inputs still to visit; it joins
    the order once they all have. Leaves (weights, inputs) join as soon as they are seen.
    """
    if root._op is None:
        return [root]
    order = []
    visited = {id(root)}
    stack = [(root, _parents(root))]
    while stack:
        node, parents = stack[-1]
        if not parents:
            stack.pop()
            order.append(node)
            continue
        parent = parents.pop()
        if id(parent) in visited:
            continue
        visited.add(id(parent))
        if parent._op is None:
            order.append(parent)
        else:
            stack.append((parent, _parents(parent)))
    return order


def _parents(node: Tensor) -> list:
    """The inputs of ``node``'s op that need a gradient (checking the graph still exists)."""
    op = node._op
    if op.freed:
        raise RuntimeError(
            "Trying to backward through the graph a second time: its saved values were "
            "freed by the first backward(). Pass retain_graph=True to the first call, or "
            "compute the forward pass again."
        )
    return [parent for parent in op.inputs if parent.requires_grad]


def _backward_through(op: Op, grad: np.ndarray, grads: dict, retain_graph: bool,
                      owned: dict) -> None:
    """Run one op's backward and add each input gradient into ``grads``.

    ``owned`` collects the gradient arrays nothing else holds (a sum made here, or a new
    array from an op with ``fresh_grads``), which a leaf may keep without copying.
    """
    input_grads = op.backward(grad)
    if type(input_grads) is not tuple:
        input_grads = (input_grads,)
    for tensor, input_grad, needed in zip(op.inputs, input_grads, op.needs_input_grad):
        if input_grad is None or not needed:
            continue
        if input_grad.shape != tensor.data.shape:
            raise RuntimeError(
                f"{type(op).__name__}.backward returned a gradient of shape "
                f"{input_grad.shape} for an input of shape {tensor.shape}"
            )
        key = id(tensor)
        previous = grads.get(key)
        if previous is not None:
            total = grads[key] = previous + input_grad
            owned[id(total)] = total
        else:
            grads[key] = input_grad
            if (op.fresh_grads and input_grad is not grad and input_grad.base is None
                    and sum(g is input_grad for g in input_grads) == 1):
                owned[id(input_grad)] = input_grad
    if not retain_graph:
        op.release()


# The op modules import Tensor and Op from this module, so they are imported last.
from glassnet.ops import activations as _act  # noqa: E402
from glassnet.ops import math as _math  # noqa: E402
from glassnet.ops import reductions as _red  # noqa: E402
from glassnet.ops import shape as _shape  # noqa: E402

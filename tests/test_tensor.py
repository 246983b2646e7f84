"""Tensor basics, dtype policy, autograd mechanics and their misuse errors."""

import numpy as np
import pytest

import glassnet as gn


def test_floats_default_to_float32_and_integers_stay_integer():
    assert gn.tensor([1.0, 2.0]).dtype == np.float32
    assert gn.tensor(np.zeros(3)).dtype == np.float32  # float64 NumPy data is converted
    assert gn.tensor([1, 2]).dtype == np.int64  # class labels stay integer
    assert gn.tensor([1.0], dtype=gn.float64).dtype == np.float64
    assert gn.tensor([1.0], dtype="float64").dtype == np.float64
    assert gn.tensor([1.0], dtype=np.float64).dtype == np.float64
    assert gn.from_numpy(np.zeros(2)).dtype == np.float64  # from_numpy keeps the dtype


def test_factories():
    assert gn.zeros(2, 3).shape == (2, 3) and gn.zeros((2, 3)).data.sum() == 0
    assert gn.ones(4).data.tolist() == [1, 1, 1, 1]
    assert gn.full((2,), 0.5).tolist() == [0.5, 0.5]
    assert gn.arange(3).tolist() == [0, 1, 2]
    assert gn.zeros_like(gn.ones(2, dtype="float64")).dtype == np.float64
    assert gn.ones_like(np.zeros((2, 2))).shape == (2, 2)
    a = gn.randn(3, 2, rng=0)
    b = gn.randn(3, 2, rng=0)
    assert a.dtype == np.float32 and np.array_equal(a.data, b.data)
    assert 0 <= gn.rand(10, rng=1).data.min() and gn.rand(10, rng=1).data.max() < 1


def test_seed_gives_bit_identical_results():
    gn.seed(123)
    first = gn.randn(5).data
    gn.seed(123)
    assert np.array_equal(first, gn.randn(5).data)


def test_properties_and_conversions():
    t = gn.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert t.shape == (2, 2) and t.ndim == 2 and len(t) == 2
    assert t.numel() == 4 and t.size() == (2, 2) and t.size(1) == 2  # PyTorch's size()
    assert t.T.tolist() == [[1, 3], [2, 4]]
    assert isinstance(t.numpy(), np.ndarray)
    assert gn.tensor([[3.5]]).item() == 3.5
    with pytest.raises(ValueError, match=r"one element.*\(2, 2\)"):
        t.item()
    d = gn.tensor([1.0], requires_grad=True) * 2
    assert d.requires_grad and not d.detach().requires_grad
    assert "grad_fn=<Mul>" in repr(d)
    assert repr(gn.tensor([1.0], dtype=gn.float64)) == "tensor([1.], dtype=float64)"


def test_requires_grad_only_for_floats():
    with pytest.raises(TypeError, match="floating-point"):
        gn.tensor([1, 2], requires_grad=True)


def test_mixed_float_dtypes_are_an_error_not_a_silent_upcast():
    a = gn.ones(2, dtype=gn.float32)
    b = gn.ones(2, dtype=gn.float64)
    with pytest.raises(TypeError, match=r"float32 and float64.*astype"):
        a + b
    assert (a + np.ones(2)).dtype == np.float32  # constants follow the tensor
    assert (a * 2).dtype == np.float32 and (2.0 * a).dtype == np.float32
    assert (np.ones(2) + a).dtype == np.float32  # ndarray on the left defers to Tensor
    assert (a + gn.tensor([1, 2])).dtype == np.float32  # integer tensors follow too


def test_grads_accumulate_and_broadcast_is_undone():
    w = gn.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = gn.ones(4, 3)
    (x * w).sum().backward()
    assert w.grad.tolist() == [4.0, 4.0, 4.0]  # each weight used by 4 rows
    (x * w).sum().backward()
    assert w.grad.tolist() == [8.0, 8.0, 8.0]  # grads add up until zeroed
    w.zero_grad()
    assert w.grad is None


def test_a_tensor_used_twice_gets_both_contributions():
    x = gn.tensor(3.0, requires_grad=True)
    y = x * x + x  # dy/dx = 2x + 1 = 7
    y.backward()
    assert x.grad == 7.0


def test_deep_graph_has_no_recursion_limit():
    x = gn.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y + 1e-4
    y.backward()
    assert x.grad == 1.0


def test_backward_on_non_scalar_needs_a_gradient():
    y = gn.ones(3, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"shape \(3,\) needs a gradient argument.*sum\(\)"):
        y.backward()
    y.backward(np.ones(3))


def test_backward_without_grad_is_a_clear_error():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (gn.ones(2) * 2).sum().backward()


def test_second_backward_through_a_freed_graph():
    x = gn.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward()
    with pytest.raises(RuntimeError, match="second time.*retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = gn.tensor(2.0, requires_grad=True)
    y = x * x
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad == 8.0


def test_no_grad_context_and_decorator():
    w = gn.ones(2, requires_grad=True)
    with gn.no_grad():
        assert not gn.is_grad_enabled()
        assert not (w * 2).requires_grad
        with gn.enable_grad():
            assert (w * 2).requires_grad
    assert gn.is_grad_enabled()

    @gn.no_grad()
    def predict(v):
        return v * 3

    assert not predict(w).requires_grad


def test_retain_grad_keeps_intermediate_gradients():
    x = gn.tensor([1.0, -2.0], requires_grad=True)
    z = x * 3
    z.retain_grad()
    z.relu().sum().backward()
    assert z.grad.tolist() == [1.0, 0.0]
    assert x.grad.tolist() == [3.0, 0.0]


def test_reductions_accept_numpy_and_pytorch_spellings():
    x = gn.tensor(np.arange(6.0).reshape(2, 3))
    assert x.sum(axis=0).tolist() == x.sum(dim=0).tolist() == [3, 5, 7]
    assert x.mean(dim=1, keepdim=True).shape == (2, 1)
    assert x.max().item() == 5 and x.min(axis=1).tolist() == [0, 3]
    assert np.isclose(x.var().item(), np.var(np.arange(6.0)))
    assert np.isclose(x.var(correction=1).item(), np.var(np.arange(6.0), ddof=1))
    assert x.argmax(axis=1).tolist() == [2, 2]


def test_shape_helpers():
    x = gn.tensor(np.arange(24.0).reshape(2, 3, 4))
    assert x.flatten().shape == (24,)
    assert x.flatten(1).shape == (2, 12)
    assert x.permute(2, 0, 1).shape == (4, 2, 3)
    assert x.transpose(0, 1).shape == (3, 2, 4)
    assert x.unsqueeze(0).shape == (1, 2, 3, 4)
    assert x.unsqueeze(0).squeeze(0).shape == (2, 3, 4)
    assert x[0, 1].tolist() == [4, 5, 6, 7]
    assert x[gn.tensor([1, 0])].shape == (2, 3, 4)


def test_comparisons_give_boolean_tensors_without_grad():
    x = gn.tensor([1.0, 2.0], requires_grad=True)
    mask = x > 1.5
    assert mask.dtype == np.bool_ and mask.tolist() == [False, True]
    assert not mask.requires_grad


def test_matmul_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\) and \(4, 5\)"):
        gn.ones(2, 3) @ gn.ones(4, 5)


def test_broadcast_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"Add on shapes \(2, 3\), \(4,\)"):
        gn.ones(2, 3) + gn.ones(4)


def test_shape_operations_keep_integer_tensors_integer():
    labels = gn.tensor([[1, 2], [3, 4]])
    for moved in (labels.T, labels.reshape(4), labels[0], labels.flatten(),
                  labels.unsqueeze(0), labels.permute(1, 0)):
        assert moved.dtype == np.int64
    assert labels.T.tolist() == [[1, 3], [2, 4]]
    assert (gn.tensor([[1.0, 2.0]]).T).dtype == np.float32


def test_leaf_gradients_never_share_memory():
    # Linear hands its dW/db to the weights without a copy; nothing may end up shared
    w = gn.tensor(np.ones((3, 2)), requires_grad=True)
    b = gn.tensor(np.zeros(2), requires_grad=True)
    x = gn.tensor(np.arange(6.0).reshape(2, 3))
    out = gn.functional.linear(x, w, b)
    (out.sum() + gn.functional.linear(x, w, b).sum()).backward()  # w used twice: dW summed
    np.testing.assert_allclose(w.grad, 2 * x.data.sum(axis=0)[:, None].repeat(2, axis=1))
    np.testing.assert_allclose(b.grad, [4.0, 4.0])
    assert not np.shares_memory(w.grad, b.grad)
    kept = w.grad
    w.grad, b.grad = None, None
    gn.functional.linear(x, w, b).sum().backward()  # a new step leaves the old array alone
    np.testing.assert_allclose(kept, 2 * x.data.sum(axis=0)[:, None].repeat(2, axis=1))
    p, q = gn.tensor([1.0, 2.0], requires_grad=True), gn.tensor([3.0, 4.0], requires_grad=True)
    (p + q).sum().backward()  # Add passes one array to both: each leaf gets its own copy
    p.grad += 1
    np.testing.assert_allclose(q.grad, [1.0, 1.0])

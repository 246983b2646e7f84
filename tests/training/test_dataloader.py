"""TensorDataset and DataLoader (glassnet/data/dataloader.py)."""

import numpy as np
import pytest

import glassnet as gn
from glassnet.data.dataloader import DataLoader, TensorDataset


def test_tensor_dataset_indexing_and_dtypes():
    X = np.arange(6, dtype=np.float64).reshape(3, 2)
    ds = TensorDataset(X, np.array([1, 0, 1]), gn.tensor([1.0, 2.0, 3.0], dtype=gn.float64))
    assert len(ds) == 3
    x, label, extra = ds[1]
    assert x.tolist() == [2.0, 3.0] and x.dtype == np.float32       # as gn.tensor
    assert label.item() == 0 and label.dtype == np.int64
    assert extra.dtype == np.float64                                  # a Tensor keeps its dtype


def test_tensor_dataset_rejects_mismatched_lengths_naming_the_shapes():
    with pytest.raises(ValueError, match=r"same number of samples .*received shapes "
                                         r"\(3, 2\), \(4,\)"):
        TensorDataset(np.zeros((3, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="give at least one array"):
        TensorDataset()
    with pytest.raises(ValueError, match="array 1 is a scalar"):
        TensorDataset(np.zeros(3), np.float32(1.0))


def test_batches_without_shuffle_are_views_in_order():
    X = np.arange(10, dtype=np.float32).reshape(5, 2)
    ds = TensorDataset(X, np.arange(5))
    loader = DataLoader(ds, batch_size=2)
    batches = list(loader)
    assert len(loader) == 3 and [len(b[1]) for b in batches] == [2, 2, 1]
    assert [b[1].tolist() for b in batches] == [[0, 1], [2, 3], [4]]
    assert np.shares_memory(batches[0][0].numpy(), ds.tensors[0].numpy())
    assert all(isinstance(t, gn.Tensor) and not t.requires_grad for b in batches for t in b)


def test_drop_last_and_len():
    ds = TensorDataset(np.zeros((10, 1)))
    assert len(DataLoader(ds, batch_size=3)) == 4
    assert len(DataLoader(ds, batch_size=3, drop_last=True)) == 3
    assert [len(b[0]) for b in DataLoader(ds, batch_size=3, drop_last=True)] == [3, 3, 3]
    assert len(DataLoader(TensorDataset(np.zeros((0, 1))), batch_size=4)) == 0


def test_shuffle_draws_a_new_permutation_each_epoch_and_covers_every_sample():
    ds = TensorDataset(np.arange(7))
    loader = DataLoader(ds, batch_size=3, shuffle=True, generator=np.random.default_rng(5))
    epoch1 = np.concatenate([b[0].numpy() for b in loader])
    epoch2 = np.concatenate([b[0].numpy() for b in loader])
    expected = np.random.default_rng(5)
    np.testing.assert_array_equal(epoch1, expected.permutation(7))
    np.testing.assert_array_equal(epoch2, expected.permutation(7))
    assert sorted(epoch1.tolist()) == list(range(7)) and not np.array_equal(epoch1, epoch2)


def test_default_generator_follows_gn_seed():
    loader = DataLoader(TensorDataset(np.arange(20)), batch_size=20, shuffle=True)
    gn.seed(11)
    first = next(iter(loader))[0].numpy()
    gn.seed(11)
    np.testing.assert_array_equal(first, next(iter(loader))[0].numpy())


def test_generic_dataset_samples_are_stacked():
    class Squares:
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return np.array([i, i * i], dtype=np.float64), i % 2

    batches = list(DataLoader(Squares(), batch_size=2))
    x, label = batches[1]
    assert x.tolist() == [[2.0, 4.0], [3.0, 9.0]] and x.dtype == np.float32
    assert label.tolist() == [0, 1] and len(batches) == 3

    class Plain:
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return gn.tensor([float(i)])

    assert next(iter(DataLoader(Plain(), batch_size=3))).shape == (3, 1)


@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True, None])
def test_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        DataLoader(TensorDataset(np.zeros(3)), batch_size=batch_size)


def test_not_a_dataset():
    with pytest.raises(TypeError, match="must have __len__ and __getitem__"):
        DataLoader(42)

"""``keras.datasets``: Keras downloads these; glassnet never downloads, so it says where to look.

``keras.datasets.mnist.load_data()`` raises an error that points at glassnet's offline
data: ``glassnet.data.load_digits()`` (8x8 digits, shipped with glassnet) and
``glassnet.data.load_mnist_idx()`` (MNIST or Fashion-MNIST IDX files you have on disk).

Example:
    >>> from glassnet import keras
    >>> keras.datasets.mnist.load_data()
    Traceback (most recent call last):
    ...
    RuntimeError: keras.datasets.mnist.load_data() downloads the data from the internet, ...
"""

__all__ = ["cifar10", "fashion_mnist", "mnist"]


class NeedsDownload:
    """A Keras dataset that has to be downloaded: ``load_data()`` explains the alternatives.

    Args:
        name: the dataset's name in ``keras.datasets``.

    Example:
        >>> NeedsDownload("mnist")
        keras.datasets.mnist (needs a download; see glassnet.data)
    """

    def __init__(self, name: str):
        self.name = name

    def load_data(self, *args, **kwargs):
        """Raise RuntimeError: glassnet has no network access; name the offline loaders."""
        raise RuntimeError(
            f"keras.datasets.{self.name}.load_data() downloads the data from the internet, "
            f"which glassnet never does. Use glassnet.data.load_digits() (8x8 handwritten "
            f"digits, shipped with glassnet), or download the MNIST/Fashion-MNIST IDX files "
            f"yourself and read them with glassnet.data.load_mnist_idx(images_path, "
            f"labels_path)"
        )

    def __repr__(self) -> str:
        return f"keras.datasets.{self.name} (needs a download; see glassnet.data)"


mnist = NeedsDownload("mnist")
fashion_mnist = NeedsDownload("fashion_mnist")
cifar10 = NeedsDownload("cifar10")

"""Shared helpers: small data folders written in the formats the readers take."""
import gzip
import os

import numpy as np
import pytest

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPOSITORY, "Tests", "VAETests", "Fixtures")


def idx_images(pixels):
    """IDX bytes of uint8 images [count, 784]."""
    count = len(pixels)
    return (0x803).to_bytes(4, "big") + count.to_bytes(4, "big") + (28).to_bytes(4, "big") + (28).to_bytes(4, "big") + pixels.tobytes()


def idx_labels(labels):
    return (0x801).to_bytes(4, "big") + len(labels).to_bytes(4, "big") + np.asarray(labels, dtype=np.uint8).tobytes()


def write_mnist_folder(folder, train_pixels, train_labels, test_pixels, test_labels, compress=True):
    """An MNIST-format folder (train-/t10k- IDX files), gzipped or not."""
    os.makedirs(folder, exist_ok=True)
    for name, content in [("train-images-idx3-ubyte", idx_images(train_pixels)), ("train-labels-idx1-ubyte", idx_labels(train_labels)),
                          ("t10k-images-idx3-ubyte", idx_images(test_pixels)), ("t10k-labels-idx1-ubyte", idx_labels(test_labels))]:
        if compress:
            with gzip.open(os.path.join(folder, name + ".gz"), "wb") as f:
                f.write(content)
        else:
            with open(os.path.join(folder, name), "wb") as f:
                f.write(content)
    return folder


def blob_images(labels, seed):
    """Images with class structure: each class a bright square at its own place, plus noise."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 40, size=(len(labels), 28, 28)).astype(np.uint8)
    for i, label in enumerate(labels):
        row, column = 2 + 6 * (label // 4), 2 + 6 * (label % 4)
        images[i, row:row + 8, column:column + 8] = 255
    return images.reshape(len(labels), 784)


@pytest.fixture
def small_mnist(tmp_path):
    """10 classes; 71 training images each, so a 0.1 validation split keeps exactly 640 (5 batches of 128)."""
    train_labels = np.repeat(np.arange(10), 71)
    np.random.default_rng(1).shuffle(train_labels)
    test_labels = np.repeat(np.arange(10), 20)
    return write_mnist_folder(str(tmp_path / "mnist"), blob_images(train_labels, 2), train_labels,
                              blob_images(test_labels, 3), test_labels)

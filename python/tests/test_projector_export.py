"""`latent-explorer export` writes what TensorBoard's projector opens: the config parsed with
tensorboard's own ProjectorConfig proto, the vectors with its own TSV reader, one row per test letter."""
import os
import struct
import subprocess

import numpy as np
from google.protobuf import text_format
from tensorboard.plugins.projector import projector_plugin
from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

from test_cli import swift_binary


def test_export_opens_in_tensorboards_projector(small_mnist, tmp_path):
    binary = swift_binary()
    weights = str(tmp_path / "m.safetensors")
    trained = subprocess.run([binary, "train", "--data", small_mnist, "--epochs", "1", "--hidden-size", "16", "--latent-dim", "3",
                              "--out", weights], capture_output=True, text=True)
    assert trained.returncode == 0, trained.stderr
    out = str(tmp_path / "projector")
    run = subprocess.run([binary, "export", "--weights", weights, "--data", small_mnist, "--out", out], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr

    with open(os.path.join(out, "projector_config.pbtxt")) as f:
        config = text_format.Parse(f.read(), ProjectorConfig())
    assert len(config.embeddings) == 1
    embedding = config.embeddings[0]
    assert list(embedding.sprite.single_image_dim) == [28, 28]
    vectors = projector_plugin._read_tensor_tsv_file(os.path.join(out, embedding.tensor_path))
    assert vectors.shape == (200, 3)   # small_mnist has 200 test images
    with open(os.path.join(out, embedding.metadata_path)) as f:
        rows = f.read().splitlines()
    assert rows[0] == "label\tindex" and len(rows) == 201
    assert rows[1].split("\t")[1] == "0" and rows[-1].split("\t")[1] == "199"
    with open(os.path.join(out, embedding.sprite.image_path), "rb") as f:
        png = f.read()
    width, height = struct.unpack(">II", png[16:24])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and width == height == 15 * 28   # ceil(sqrt(200)) letters a side

    again = subprocess.run([binary, "export", "--weights", weights, "--data", small_mnist, "--out", out], capture_output=True, text=True)
    assert again.returncode == 1 and "give --force to replace them" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    np.testing.assert_allclose(projector_plugin._read_tensor_tsv_file(os.path.join(out, "vectors.tsv")), vectors)

"""Weight files: ours round-trip with their metadata, plain PyTorch files open by their tensor shapes,
the Swift program's files start PyTorch training (--init), and bad files are refused in one line."""
import glob
import os

import numpy as np
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import save_file

from conftest import REPOSITORY
from latent_explorer_torch import models, weights


@pytest.mark.parametrize("config", [models.ModelConfiguration.make("mlp", 3, 16),
                                    models.ModelConfiguration.make("conv", 2, 8, channels=(2, 3))])
def test_our_files_round_trip_with_their_metadata(tmp_path, config):
    torch.manual_seed(0)
    model = models.build(config)
    path = str(tmp_path / "m.safetensors")
    meta = weights.metadata(config, dataset="fashion-mnist", kl_weight=weights.decimal(0.5), class_filter=None)
    weights.save_atomically(model, meta, path)
    loaded, read = weights.load(path)
    assert models.configuration_of(loaded) == config
    assert read["format_version"] == "3" and read["kl_weight"] == "0.5" and "class_filter" not in read
    assert int(read["image_height"]) * int(read["image_width"]) * int(read["image_channels"]) == config.input_size
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, loaded.state_dict()[name])
    assert os.listdir(tmp_path) == ["m.safetensors"]  # no temporary file left


def test_plain_pytorch_files_open_by_their_tensor_shapes(tmp_path):
    for config in [models.ModelConfiguration.make("mlp", 4, 32), models.ModelConfiguration.make("conv", 5)]:
        path = str(tmp_path / f"{config.arch}.safetensors")
        save_file(models.build(config).state_dict(), path)
        assert models.configuration_of(weights.load(path)[0]) == config


def test_the_swift_programs_files_load(tmp_path):
    shipped = sorted(glob.glob(os.path.join(REPOSITORY, "Weights", "*.safetensors")))
    assert shipped, "the repository ships weights written by the Swift program"
    for path in shipped:
        model, meta = weights.load(path)
        assert meta["format"] == weights.FORMAT_NAME
        assert models.configuration_of(model).latent_dim == int(meta["latent_dim"])


@pytest.mark.parametrize("content, message", [(b"", "not a safetensors file"), (b"\xff" * 20, "not a safetensors file")])
def test_malformed_files_are_refused_in_one_line(tmp_path, content, message):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    with pytest.raises(weights.WeightsError, match=message) as error:
        weights.load(str(path))
    assert "\n" not in str(error.value)


def test_newer_versions_and_wrong_shapes_are_refused(tmp_path):
    config = models.ModelConfiguration.make("mlp", 2, 8)
    path = str(tmp_path / "m.safetensors")
    meta = weights.metadata(config)
    meta["format_version"] = "4"
    save_file(models.build(config).state_dict(), path, metadata=meta)
    with pytest.raises(weights.WeightsError, match="format version 4 is newer"):
        weights.load(path)
    meta = weights.metadata(models.ModelConfiguration.make("mlp", 3, 8))
    save_file(models.build(config).state_dict(), path, metadata=meta)
    with pytest.raises(weights.WeightsError, match=r"describes mlp 784-8-3-8-784, but tensor .encoder.mean.weight. has shape \[2, 8\], expected \[3, 8\]"):
        weights.load(path)


def test_writing_into_a_missing_folder_fails_cleanly(tmp_path):
    config = models.ModelConfiguration.make("mlp", 2, 8)
    with pytest.raises(weights.WeightsError, match="cannot write"):
        weights.save_atomically(models.build(config), weights.metadata(config), str(tmp_path / "no" / "m.safetensors"))


def test_seeded_mutations_of_a_weight_file_load_or_fail_in_one_line(tmp_path):
    config = models.ModelConfiguration.make("mlp", 2, 4)
    valid = tmp_path / "valid.safetensors"
    weights.save_atomically(models.build(config), weights.metadata(config), str(valid))
    original = valid.read_bytes()
    rng = np.random.default_rng(7)
    path = tmp_path / "mutated.safetensors"
    for _ in range(200):
        mutated = bytearray(original)
        for _ in range(int(rng.integers(1, 4))):
            # Mostly the length and the JSON header, where the structure is.
            position = int(rng.integers(0, 8 + 400 if rng.random() < 0.8 else len(mutated)))
            mutated[position] = int(rng.integers(0, 256))
        if rng.random() < 0.2:
            mutated = mutated[:int(rng.integers(0, len(mutated)))]
        path.write_bytes(bytes(mutated))
        try:
            model, _ = weights.load(str(path))
            assert sum(p.numel() for p in model.parameters()) > 0
        except weights.WeightsError as error:
            assert "\n" not in str(error)

"""The shipped weights folder is written into only with --force, in the PyTorch package as in the
Swift program (WritePolicy): train --out, convert --out and any save, whatever link leads there."""
import os
import subprocess
import sys

import pytest
import torch

from latent_explorer_torch import models, weights

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHIPPED = os.path.join(REPOSITORY, "Weights")


def torch_cli(*arguments):
    return subprocess.run([sys.executable, "-m", "latent_explorer_torch", *arguments], capture_output=True, text=True)


def small_model():
    config = models.ModelConfiguration.make("mlp", 2, input_size=784, settings={"hidden_size": (8,)})
    return config, models.build(config)


def test_the_checkout_s_weights_folder_is_found_from_the_package():
    assert weights.shipped_weights_folders() == [os.path.realpath(SHIPPED)]


def test_a_save_into_a_protected_folder_is_refused_through_any_link(tmp_path):
    protected = tmp_path / "Weights"
    protected.mkdir()
    (tmp_path / "elsewhere").symlink_to(protected)
    folders = [os.path.realpath(protected)]
    for path in (protected / "new.safetensors", tmp_path / "elsewhere" / "new.safetensors", protected / "sub" / ".." / "x.safetensors"):
        with pytest.raises(weights.WeightsError, match=r"it is in Weights/, which holds the shipped weights; .* --force"):
            weights.check_not_shipped(str(path), folders)
    weights.check_not_shipped(str(tmp_path / "new.safetensors"), folders)  # beside it: allowed
    weights.check_not_shipped(str(tmp_path / "WeightsX" / "new.safetensors"), folders)  # a prefix is not the folder


def test_train_does_not_write_into_the_shipped_weights(small_mnist):
    target = os.path.join(SHIPPED, "pytest-train.safetensors")
    run = torch_cli("train", "--data", small_mnist, "--epochs", "1", "--hidden-size", "8", "--out", target)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1 and "which holds the shipped weights" in run.stderr
    assert not os.path.exists(target)


def test_convert_does_not_write_into_the_shipped_weights_unless_forced(tmp_path):
    config, model = small_model()
    source = tmp_path / "model.pt"
    torch.save(model.state_dict(), source)
    target = os.path.join(SHIPPED, "pytest-convert.safetensors")
    run = torch_cli("convert", str(source), "--out", target)
    assert run.returncode == 1 and "which holds the shipped weights" in run.stderr and not os.path.exists(target)
    try:
        forced = torch_cli("convert", str(source), "--out", target, "--force")
        assert forced.returncode == 0, forced.stderr
        assert weights.looks_like_weights(target)
    finally:
        if os.path.exists(target):
            os.unlink(target)

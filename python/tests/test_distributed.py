"""Two processes under torchrun (gloo, CPU) train what one process trains with the same global batch:
the sampler gives each rank every other image of the same permutation and every rank uses its rows of
the same global noise, so only the order of floating-point sums differs."""
import os
import subprocess
import sys

import pytest
from safetensors import safe_open

# Losses after 2 epochs agree within this many nats per image (measured: equal to the 4 decimals written).
AGREEMENT = 0.05


def train(folder, out, processes, arch="mlp"):
    command = [sys.executable, "-m", "latent_explorer_torch", "train"]
    if processes > 1:
        command = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={processes}",
                   "-m", "latent_explorer_torch", "train"]
    environment = dict(os.environ, OMP_NUM_THREADS="1")
    run = subprocess.run(command + ["--data", folder, "--arch", arch, "--epochs", "2", "--hidden-size", "64", "--out", out],
                         capture_output=True, text=True, env=environment, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    with safe_open(out, "pt") as f:
        return f.metadata(), run.stdout


@pytest.mark.parametrize("arch", ["mlp", "cvae"])  # the cvae's classes travel with each rank's rows
def test_two_processes_reach_the_loss_of_one_with_the_same_global_batch(small_mnist, tmp_path, arch):
    one, _ = train(small_mnist, str(tmp_path / "one.safetensors"), 1, arch)
    two, log = train(small_mnist, str(tmp_path / "two.safetensors"), 2, arch)
    assert "2 processes, gloo" in two["trained_with"] and "64 images per process per step" in log
    assert log.count("epoch 1/2:") == 1, "only rank 0 reports"
    for key in ("validation_neg_elbo", "test_neg_elbo"):
        print(f"{key}: 1 process {one[key]}, 2 processes {two[key]}")
        assert float(two[key]) == pytest.approx(float(one[key]), abs=AGREEMENT), key
    assert two["epochs"] == one["epochs"]

"""The command line: training writes our file, eval agrees with the Swift program's eval, both resume
from the other's weights, and errors are one line with exit 1 (64 for usage)."""
import json
import os
import subprocess
import sys

import pytest
from safetensors import safe_open

from conftest import REPOSITORY
from latent_explorer_torch import weights
from latent_explorer_torch.cli import main
from latent_explorer_torch.training import EpochSummary, Outcome, TrainingOptions, schedule_record

SWIFT_BINARY = os.environ.get("LATENT_EXPLORER_BIN", os.path.join(REPOSITORY, ".build", "debug", "latent-explorer"))


def torch_cli(*arguments):
    return subprocess.run([sys.executable, "-m", "latent_explorer_torch", *arguments], capture_output=True, text=True)


def swift_binary():
    if not os.access(SWIFT_BINARY, os.X_OK):
        pytest.skip(f"no latent-explorer binary at {SWIFT_BINARY}: run swift build first")
    return SWIFT_BINARY


def train_small(folder, out, *extra):
    run = torch_cli("train", "--data", folder, "--epochs", "2", "--hidden-size", "32", "--out", out, *extra)
    assert run.returncode == 0, run.stderr
    return run


def test_a_learning_rate_plateau_is_announced_and_recorded_as_the_swift_trainer_does(small_mnist, tmp_path):
    out = str(tmp_path / "plateau.safetensors")
    run = train_small(small_mnist, out, "--lr-plateau", "1", "--lr-factor", "0.25")
    assert "Learning rate: 0.001, x0.25 after 1 epoch without a better validation loss" in run.stdout
    with safe_open(out, "pt") as f:
        record = f.metadata()["learning_rate_schedule"]
    assert record.startswith("0.001, x0.25 after 1 epoch without a better validation loss; "), record
    refused = torch_cli("train", "--data", small_mnist, "--lr-plateau", "2", "--validation-split", "0", "--out", out, "--force")
    assert refused.returncode == 64 and "--lr-plateau watches the validation loss" in refused.stderr


def test_the_schedule_record_names_the_cuts_and_the_kept_epochs_rate():
    options = TrainingOptions(learning_rate=1e-3, lr_plateau=2, lr_factor=0.5)
    history = [EpochSummary(epoch, 0.0, None, 1.0, 1.0, epoch == 2, rate)
               for epoch, rate in [(1, 1e-3), (2, 1e-3), (3, 1e-3), (4, 5e-4), (5, 5e-4), (6, 2.5e-4)]]
    outcome = Outcome("early-stopped", 6, best_epoch=2, history=history)
    assert schedule_record(options, outcome) == ("0.001, x0.5 after 2 epochs without a better validation loss; "
                                                 "cut after epochs 4, 6; the kept epoch trained at 0.001")
    assert schedule_record(TrainingOptions(), outcome) is None


def test_train_writes_our_metadata_and_eval_scores_it(small_mnist, tmp_path):
    out = str(tmp_path / "m.safetensors")
    run = train_small(small_mnist, out, "--beta", "0.5", "--letters", "0123")
    with safe_open(out, "pt") as f:
        meta = f.metadata()
    assert meta["format"] == "latent-explorer-vae" and meta["format_version"] == "3"
    assert meta["architecture"] == "mlp" and meta["hidden_size"] == "32" and meta["latent_dim"] == "2"
    assert meta["kl_weight"] == "0.5" and meta["likelihood"] == "bernoulli" and meta["class_filter"] == "0123"
    assert meta["dataset"] == "mnist, classes 0123" and json.loads(meta["classes"]) == ["0", "1", "2", "3"]
    assert meta["selected_on"] == "validation" and meta["validation_set"] == "10% of each class of the training split, seed 0"
    assert meta["trained_with"].startswith("latent-explorer-torch 0.1 (torch ") and "1 process" in meta["trained_with"]
    assert "Saved the weights of epoch" in run.stdout
    scored = torch_cli("eval", "--weights", out, "--data", small_mnist, "--letters", "0123", "--json")
    assert scored.returncode == 0, scored.stderr
    assert json.loads(scored.stdout)["neg_elbo"] == pytest.approx(float(meta["test_neg_elbo"]), abs=1e-3)


def test_the_swift_program_scores_our_file_as_we_do_and_each_resumes_from_the_other(small_mnist, tmp_path):
    binary = swift_binary()
    ours = str(tmp_path / "torch.safetensors")
    train_small(small_mnist, ours, "--arch", "conv", "--hidden-size", "16")
    torch_score = json.loads(torch_cli("eval", "--weights", ours, "--data", small_mnist, "--json").stdout)
    swift = subprocess.run([binary, "eval", "--weights", ours, "--data", small_mnist, "--json"], capture_output=True, text=True)
    assert swift.returncode == 0, swift.stderr
    assert json.loads(swift.stdout)["neg_elbo"] == pytest.approx(torch_score["neg_elbo"], abs=0.01)

    theirs = str(tmp_path / "swift.safetensors")
    resumed = subprocess.run([binary, "train", "--weights", ours, "--data", small_mnist, "--epochs", "1", "--out", theirs],
                             capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    again = str(tmp_path / "torch-again.safetensors")
    train_small(small_mnist, again, "--init", theirs)
    model, meta = weights.load(again)
    assert meta["architecture"] == "conv" and meta["hidden_size"] == "16"


def test_usage_errors_exit_64_and_failures_exit_1_in_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit:
        main(["train", "--epochs", "2"])
    assert exit.value.code == 64
    capsys.readouterr()
    assert main(["train", "--data", str(tmp_path), "--out", str(tmp_path / "m.safetensors")]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("latent-explorer-torch: error:") and "\n" not in error
    assert main(["eval", "--data", str(tmp_path), "--weights", str(tmp_path / "absent.safetensors")]) == 1
    assert main(["train", "--data", str(tmp_path), "--batch-size", "0", "--out", str(tmp_path / "m")]) == 64

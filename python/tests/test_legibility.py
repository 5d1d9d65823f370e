"""The legibility measurement: its held-out letters are the Swift program's (`TestPartition`), and it
reads a plain and a conditional model's planes with a reader trained on real letters only."""
import json
import subprocess

import pytest

from latent_explorer_torch import data, distributed, legibility, swift_random, weights
from latent_explorer_torch.evaluation import negative_elbo
from test_cli import swift_binary, train_small


def test_the_partition_holds_out_what_the_swift_program_holds_out(small_mnist, tmp_path):
    """Scored on the Swift program's held-out part and on ours, one model gets the same figure: the same
    images, in the same order (the noise is drawn image after image)."""
    out = str(tmp_path / "m.safetensors")
    train_small(small_mnist, out)
    swift = subprocess.run([swift_binary(), "eval", "--weights", out, "--data", small_mnist, "--test-split", "heldout", "--json"],
                           capture_output=True, text=True)
    assert swift.returncode == 0, swift.stderr
    dataset = data.load(small_mnist)
    held_out, validation, rest = swift_random.test_partition(dataset.test.labels)
    assert len(held_out) + len(validation) + len(rest) == len(dataset.test) == 200
    assert len(held_out) == 10 * 5 and len(validation) == 10 * 2  # per class of 20: a quarter up, a tenth down
    model, _ = weights.load(out)
    ours = sum(negative_elbo(model, dataset.test.subset(held_out), distributed.start()))
    figures = json.loads(swift.stdout)
    assert figures["test_count"] == len(held_out)
    assert figures["neg_elbo"] == pytest.approx(ours, abs=1e-3)


def test_both_planes_are_read(small_mnist, tmp_path, monkeypatch):
    monkeypatch.setattr(legibility, "EPOCHS", 2)
    plain, cvae = str(tmp_path / "plain.safetensors"), str(tmp_path / "cvae.safetensors")
    train_small(small_mnist, plain, "--latent-dim", "2")
    train_small(small_mnist, cvae, "--latent-dim", "2", "--arch", "cvae")
    report = str(tmp_path / "legibility.json")
    assert legibility.main(["--data", small_mnist, "--plain", plain, "--cvae", cvae, "--json", report]) == 0
    with open(report) as f:
        result = json.load(f)
    assert result["reader"]["held_out_letters"] == 50 and 0 <= result["reader"]["held_out_accuracy"] <= 1
    assert result["plain"]["tiles"] == legibility.GRID ** 2 and 0 <= result["plain"]["legible_share"] <= 1
    assert len(result["plain"]["letters"]) == result["plain"]["letters_appearing"] <= 10
    assert sorted(result["cvae"]["by_letter"]) == [str(d) for d in range(10)]
    shares = [v["read_as_intended"] for v in result["cvae"]["by_letter"].values()]
    assert result["cvae"]["read_as_intended"] == pytest.approx(sum(shares) / 10)
    assert legibility.main(["--data", str(tmp_path / "none"), "--plain", plain, "--cvae", cvae]) == 1

"""The legibility measurement: its held-out letters are the Swift program's (`TestPartition`), and it
reads a plain and a conditional model's planes with a reader trained on real letters only."""
import json
import subprocess

import numpy as np
import pytest
import torch

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


def test_the_explorers_test_letters_are_sampled_as_the_swift_program_samples_them():
    """`StratifiedSampling`'s cases (StratifiedSamplingTests): equal shares of class-sorted labels, small
    classes handing their share on, ascending, seeded."""
    class_sorted = np.repeat(np.arange(1, 27), 800)
    chosen = legibility.stratified_indices(class_sorted, 2_600, 7)
    assert len(chosen) == 2_600 and list(chosen) == sorted(set(chosen.tolist()))
    assert np.bincount(class_sorted[chosen]).tolist() == [0] + [100] * 26
    uneven = np.array([1] * 640 + [2] * 640 + [3] * 30 + [4, 5, 6])
    counts = np.bincount(uneven[legibility.stratified_indices(uneven, 300, 1)])
    assert counts[3] == 30 and counts[4] == counts[6] == 1 and counts[1] + counts[2] == 267 and abs(counts[1] - counts[2]) <= 1
    assert list(legibility.stratified_indices(uneven, 300, 1)) == list(legibility.stratified_indices(uneven, 300, 1))
    assert list(legibility.stratified_indices(uneven, 300, 1)) != list(legibility.stratified_indices(uneven, 300, 2))
    assert list(legibility.stratified_indices(uneven, 9_999, 1)) == list(range(len(uneven)))


def test_the_principal_plane_is_signed_and_ordered_as_the_swift_one():
    rng = np.random.default_rng(0)
    codes = rng.normal(size=(4_000, 3)) * [0.5, 3.0, 1.0] + [1.0, -2.0, 0.5]
    mean, axes, shares = legibility.principal_plane(codes)
    assert mean == pytest.approx([1.0, -2.0, 0.5], abs=0.1)
    assert np.abs(axes) == pytest.approx(np.array([[0, 1, 0], [0, 0, 1]]), abs=0.05)
    assert axes[0][1] > 0 and axes[1][2] > 0, "each component's largest entry is positive"
    assert axes @ axes.T == pytest.approx(np.eye(2), abs=1e-9)
    assert shares == pytest.approx([9 / 10.25, 1 / 10.25], abs=0.02)


def test_a_cvae_of_more_dimensions_is_read_on_the_plane_the_explorer_shows(small_mnist, tmp_path, monkeypatch):
    monkeypatch.setattr(legibility, "EPOCHS", 1)
    cvae = str(tmp_path / "cvae3.safetensors")
    train_small(small_mnist, cvae, "--latent-dim", "3", "--arch", "cvae")
    model, meta = weights.load(cvae)
    names = legibility.classes.names_of(model, meta)
    dataset = data.load(small_mnist)
    grid = legibility.quantile_grid()
    points, plane = legibility.plane_points(model, names, dataset, "slice")
    assert points.shape == (legibility.GRID ** 2, 3) and "at 0" in plane
    assert torch.equal(points[:, :2], grid) and not points[:, 2].any()
    points, plane = legibility.plane_points(model, names, dataset, "slice", anchor=7)
    code = legibility.test_letter_code(model, names, dataset, 7)
    assert "#7" in plane and torch.equal(points[:, :2], grid) and torch.equal(points[:, 2], code[2].expand(len(grid)))
    with pytest.raises(data.DataError, match="--anchor 200"):
        legibility.plane_points(model, names, dataset, "slice", anchor=200)
    points, plane = legibility.plane_points(model, names, dataset, "pca")
    mean, axes, _ = legibility.principal_plane(legibility.explorer_codes(model, names, dataset))
    assert "PC1" in plane and points.shape == (legibility.GRID ** 2, 3)
    # Projected back onto the plane's axes, the points are the quantile grid around the codes' mean.
    assert (points.double().numpy() - mean) @ axes.T == pytest.approx(grid.double().numpy(), abs=1e-5)
    report, reader = str(tmp_path / "legibility.json"), str(tmp_path / "reader.pt")
    assert legibility.main(["--data", small_mnist, "--cvae", cvae, "--plane", "pca", "--json", report, "--reader", reader]) == 0
    with open(report) as f:
        result = json.load(f)
    assert "plain" not in result and "PC1" in result["cvae"]["plane"]
    assert sorted(result["cvae"]["by_letter"]) == [str(d) for d in range(10)]
    # The kept reader is read back, not trained again (an epoch more would change it), and gives the same figures.
    monkeypatch.setattr(legibility, "train_reader", None)
    again = str(tmp_path / "again.json")
    assert legibility.main(["--data", small_mnist, "--cvae", cvae, "--plane", "pca", "--json", again, "--reader", reader]) == 0
    with open(again) as f:
        assert json.load(f) == result
    assert legibility.main(["--data", small_mnist, "--cvae", cvae, "--seed", "1", "--reader", reader]) == 1
    with open(reader, "wb") as f:
        f.write(b"not a reader")
    assert legibility.main(["--data", small_mnist, "--cvae", cvae, "--reader", reader]) == 1

"""The promises the Swift program keeps, kept here too: every refusal is one line with exit 1 (64 for
usage), never a traceback; nothing of a model's size is allocated before the file's tensors are
checked against its metadata; non-finite weights are refused; scores are strict JSON."""
import json
import math
import resource
import subprocess
import sys

import pytest
import torch
from safetensors.torch import save_file

from latent_explorer_torch import cli, contract, models, weights


def small(arch="mlp", **settings):
    config = models.ModelConfiguration.make(arch, 2, input_size=784, settings=settings or None)
    return config, models.build(config)


def write(path, model, meta, dtype=torch.float32):
    save_file({k: v.detach().to(dtype).contiguous() for k, v in model.state_dict().items()}, str(path), metadata=meta)
    return str(path)


def torch_cli(*arguments):
    return subprocess.run([sys.executable, "-m", "latent_explorer_torch", *arguments], capture_output=True, text=True)


def refusal(path):
    with pytest.raises(weights.WeightsError) as error:
        weights.load(path)
    message = str(error.value)
    assert "\n" not in message and len(message) < 700, message
    return message


@pytest.mark.parametrize("values", ["32", "32,16,8", "7," * 9999 + "7"])
def test_a_deep_mlp_with_the_wrong_number_of_hidden_sizes_is_one_line(tmp_path, values):
    config, model = small("deep-mlp", hidden_sizes=(32, 16))
    meta = weights.metadata(config)
    meta["hidden_sizes"] = values
    path = write(tmp_path / "deep.safetensors", model, meta)
    assert "describes an invalid model: hidden sizes needs 2 values" in refusal(path)
    run = torch_cli("eval", "--weights", path, "--data", str(tmp_path))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and len(run.stderr) < contract.MESSAGE_LIMIT + 100, run.stderr


@pytest.mark.parametrize("key, value, expected", [
    ("format_version", "0", "format version 0 is not a version"),
    ("format_version", "-1", "format version -1 is not a version"),
    ("format_version", "4", "format version 4 is newer"),
    ("format_version", " 3", "no format_version"),
    ("kl_weight", "nan", "kl_weight 'nan' is not a number"),
    ("kl_weight", "1001", "must be between 0 and 1000"),
    ("likelihood", "gaussian", "unknown likelihood 'gaussian'"),
    ("image_width", "27", "does not hold the input size 784"),
    ("channels", "32,64", "sets channels '32,64', which the mlp architecture does not have"),
    ("input_size", "50000", "input size 50000 is outside 1...16384"),
    ("latent_dim", "65", "latent size 65 is outside 1...64"),
    ("hidden_size", "1_0", "is not a list of numbers"),
])
def test_metadata_the_swift_program_refuses_is_refused(tmp_path, key, value, expected):
    config, model = small(hidden_size=(16,))
    meta = weights.metadata(config)
    meta[key] = value
    assert expected in refusal(write(tmp_path / "m.safetensors", model, meta))


def test_a_small_file_claiming_a_huge_model_is_refused_before_anything_of_its_size_is_allocated(tmp_path):
    config, model = small(hidden_size=(16,))
    meta = weights.metadata(config)
    meta.update(input_size="16384", image_height="128", image_width="128", hidden_size="800")
    path = write(tmp_path / "huge.safetensors", model, meta)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert "but tensor 'encoder.hidden.weight' has shape [16, 784], expected [800, 16384]" in refusal(path)
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 50_000, f"the refusal grew the peak memory by {grown_kb} KB"  # the model would be 105 MB


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_weights_are_refused(tmp_path, bad):
    config, model = small(hidden_size=(16,))
    with torch.no_grad():
        model.decoder.output.bias[3] = bad
    message = refusal(write(tmp_path / "nan.safetensors", model, weights.metadata(config)))
    assert "holds 1 NaN or infinite values in tensor 'decoder.output.bias'" in message


@pytest.mark.parametrize("dtype, tolerance", [(torch.float16, 1e-3), (torch.bfloat16, 1e-2), (torch.float64, 0)])
def test_half_bfloat16_and_double_files_load_as_float32(tmp_path, dtype, tolerance):
    config, model = small(hidden_size=(16,))
    loaded, _ = weights.load(write(tmp_path / "m.safetensors", model, weights.metadata(config), dtype))
    for name, value in loaded.state_dict().items():
        assert value.dtype == torch.float32
        assert torch.allclose(value, model.state_dict()[name], rtol=tolerance, atol=1e-6), name


@pytest.mark.parametrize("dtype", [torch.int64, torch.int32, torch.uint8, torch.bool])
def test_integer_dtypes_are_refused_in_one_line(tmp_path, dtype):
    config, model = small(hidden_size=(16,))
    message = refusal(write(tmp_path / "int.safetensors", model, weights.metadata(config), dtype))
    assert "an integer type: weights must be floating point (F32, F16, BF16, F64)" in message


def test_scores_that_are_not_finite_are_words_in_strict_json():
    assert cli.score_json(math.nan) == "not a number (NaN)"
    assert cli.score_json(math.inf) == "infinite" and cli.score_json(-math.inf) == "minus infinity"
    assert cli.score_json(1.5) == 1.5
    json.dumps({"x": cli.score_json(math.nan)}, allow_nan=False)


def test_huge_but_finite_weights_score_in_words_in_strict_json(tmp_path, small_mnist):
    config, model = small(hidden_size=(16,))
    with torch.no_grad():
        model.decoder.output.weight.fill_(3e38)
        model.decoder.hidden.weight.fill_(3e38)
    path = write(tmp_path / "huge.safetensors", model, weights.metadata(config))
    run = torch_cli("eval", "--weights", path, "--data", small_mnist, "--json")
    assert run.returncode == 0, run.stderr
    scores = json.loads(run.stdout, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    assert any(isinstance(value, str) for value in scores.values()), scores


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch, capsys):
    def broken(*_):
        raise KeyError("something nobody expected")
    monkeypatch.setattr(cli, "run_eval", broken)
    monkeypatch.setattr(cli.distributed, "start", lambda: type("C", (), {"world": 1})())
    monkeypatch.setattr(cli.distributed, "stop", lambda context: None)
    assert cli.main(["eval", "--weights", "x", "--data", "y"]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "KeyError" in error and "Traceback" not in error


def test_usage_errors_exit_64_without_a_traceback():
    run = torch_cli("eval", "--weights")
    assert run.returncode == 64 and "Traceback" not in run.stderr


def test_train_replaces_only_a_weights_file_unless_forced(tmp_path, small_mnist):
    notes = tmp_path / "notes.safetensors"
    notes.write_text("my notes\n")
    run = torch_cli("train", "--data", small_mnist, "--epochs", "1", "--hidden-size", "8", "--out", str(notes))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "it is a file that is not a weights file; name another file, or give --force" in run.stderr
    assert notes.read_text() == "my notes\n"
    link = tmp_path / "link.safetensors"
    link.symlink_to(notes)
    with pytest.raises(weights.WeightsError, match="it is a symbolic link to a file that is not a weights file"):
        weights.check_replaceable(str(link))
    config, model = small(hidden_size=(8,))
    existing = write(tmp_path / "model.safetensors", model, weights.metadata(config))
    weights.check_replaceable(existing)
    weights.save_atomically(model, weights.metadata(config), str(notes), force=True)
    assert weights.looks_like_weights(str(notes))


def test_every_numeric_option_of_train_is_refused_outside_its_range(tmp_path):
    """Every numeric option of `train` (taken from the parser: an option without a range in
    TRAIN_RANGES fails) given 0, -1, its maximum + 1, 2^63 and NaN: exit 64 in one line."""
    parser = cli.build_parser()
    train = next(action for action in parser._subparsers._group_actions[0].choices.values() if action.prog.endswith(" train"))
    numeric = {a.dest for a in train._actions if a.type in (int, float)}
    assert numeric == set(cli.TRAIN_RANGES), "a numeric option of train without a range in TRAIN_RANGES"
    runs = 0
    for name, (low, high, open_high) in cli.TRAIN_RANGES.items():
        integer = next(a for a in train._actions if a.dest == name).type is int
        for value in (0, -1, high if open_high else high + 1, 2 ** 63, float("nan")):
            inside = (low <= value < high if open_high else low <= value <= high)
            if inside or (integer and isinstance(value, float)):
                continue  # an integer option refuses "nan" at parsing: argparse's own exit 64
            option = "--" + name.replace("_", "-")
            text = repr(value) if isinstance(value, float) else str(value)
            code = cli.main(["train", "--data", str(tmp_path), "--out", str(tmp_path / "m.safetensors"), option, text])
            assert code == 64, f"{option} {text}"
            runs += 1
    assert runs >= 25
    with pytest.raises(SystemExit) as parse_error:
        cli.main(["train", "--data", str(tmp_path), "--out", str(tmp_path / "m"), "--epochs", "nan"])
    assert parse_error.value.code == 64

"""Differential fuzzing of the two programs' weight-file readers: seeded model files (valid, with edited
and hostile metadata, in every dtype, with tensors that disagree with the metadata, with broken headers)
are loaded by the Swift program (`latent-explorer check-weights`) and by this package
(`latent-explorer-torch check-weights`), one process each for all the files. Both must give the same
verdict (both read a file or both refuse it) and the same exit status, the same answer to whether the
model takes 28x28 letters, and scores within 1e-4 (relative, for scores above 1) when both read it,
or both overflowed (not finite, or beyond 1e30 per value: whether an overflowing sum ends as NaN,
infinity or a huge number depends on the width and order of the arithmetic); neither may trap or
print a traceback.

LATENT_EXPLORER_FUZZ_CASES sets the number of files (default 1,200) and LATENT_EXPLORER_FUZZ_SEED the
sequence (default 1)."""
import json
import os
import struct
import subprocess
import sys

import numpy as np
import pytest
import torch
from safetensors.torch import save_file

from latent_explorer_torch import models, weights
from test_cli import swift_binary

CASES = int(os.environ.get("LATENT_EXPLORER_FUZZ_CASES", "1200"))
SEED = int(os.environ.get("LATENT_EXPLORER_FUZZ_SEED", "1"))
SCORE_TOLERANCE = 1e-4
FLOAT_DTYPES = [torch.float32, torch.float16, torch.bfloat16, torch.float64]
INTEGER_DTYPES = [torch.int64, torch.int32, torch.int8, torch.uint8]

# Values the metadata keys take in edited files: valid ones, edges of the contract's ranges, and
# spellings one program might read and the other not.
EDITS = {
    "format_version": ["1", "2", "3", "4", "0", "-1", "+3", "03", " 3", "3 ", "", "x", "9223372036854775808"],
    "latent_dim": ["0", "1", "2", "64", "65", "-2", "2.0", ""],
    "input_size": ["0", "784", "16384", "16385", "12", "-784", "1e3"],
    "hidden_size": ["0", "1", "8", "8192", "8193", "8,8", " 8", "8 ", "", "1_0", "0x8", "-8"],
    "hidden_sizes": ["8", "8,4", "8,4,2", "0,4", "8192,1", "8193,4", "8, 4", "", ","],
    "channels": ["2,3", "2", "2,3,4", "0,3", "1024,1", "1025,1"],
    "kl_weight": ["1", "0", "1000", "1000.0001", "-0", "-1", "nan", "inf", "-inf", "1e3", "1e400", "0x1p3", " 2", "2 ", ".5", "5.", "", "one"],
    "likelihood": ["bernoulli", "gaussian", "", "Bernoulli"],
    "image_height": ["28", "27", "1", "0", "-28", "784", "x"],
    "image_width": ["28", "27", "1", "0", "784"],
    "image_channels": ["1", "2", "0", "-1", ""],
    "architecture": ["mlp", "conv", "deep-mlp", "transformer", "", "MLP"],
    "format": ["latent-explorer-vae", "something-else"],
}


def architectures(rng):
    """A small valid configuration of a random architecture (small so that 1,000 files stay cheap)."""
    arch = rng.choice(["mlp", "conv", "deep-mlp"])
    latent = int(rng.integers(1, 5))
    if arch == "conv":
        side = int(rng.choice([4, 8, 12, 28]))
        return models.ModelConfiguration.make("conv", latent, input_size=side * side, hidden_size=int(rng.integers(1, 9)),
                                              channels=(int(rng.integers(1, 4)), int(rng.integers(1, 4))))
    inputs = int(rng.choice([784, 12, 16, 64, 9]))
    if arch == "mlp":
        return models.ModelConfiguration.make("mlp", latent, hidden_size=int(rng.integers(1, 17)), input_size=inputs)
    return models.ModelConfiguration.make("deep-mlp", latent, input_size=inputs,
                                          settings={"hidden_sizes": (int(rng.integers(1, 17)), int(rng.integers(1, 9)))})


def header_file(tensors, meta):
    """Safetensors bytes written by hand (so that the header can be anything): {name: (dtype, shape, bytes)}."""
    header, data, offset = {}, b"", 0
    if meta is not None:
        header["__metadata__"] = meta
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
        data += raw
        offset += len(raw)
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


def make_case(rng, path):
    """Writes one fuzz file at `path`; returns what kind of case it is."""
    config = architectures(rng)
    torch.manual_seed(int(rng.integers(0, 1 << 31)))
    model = models.build(config)
    state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    meta = weights.metadata(config)
    kind = rng.choice(["valid", "no-metadata", "edit", "edit", "edit", "weights", "shapes", "dtype", "header"])
    dtype = FLOAT_DTYPES[int(rng.integers(len(FLOAT_DTYPES)))]
    if kind == "no-metadata":
        meta = None
    elif kind == "edit":
        for _ in range(int(rng.integers(1, 3))):
            key = rng.choice(list(EDITS))
            values = EDITS[key]
            if rng.random() < 0.1:
                meta.pop(key, None)
            else:
                meta[key] = values[int(rng.integers(len(values)))]
    elif kind == "weights":
        name = rng.choice(sorted(state))
        flat = state[name].view(-1)
        value = float(rng.choice([np.nan, np.inf, -np.inf, 3e38, -3e38, 1e20, 70000.0, 1e-45]))
        flat[int(rng.integers(flat.numel()))] = value
        if rng.random() < 0.3:
            flat.fill_(value)
    elif kind == "shapes":
        names = sorted(state)
        change = rng.choice(["drop", "extra", "transpose", "grow", "rename"])
        name = names[int(rng.integers(len(names)))]
        if change == "drop":
            del state[name]
        elif change == "extra":
            state["encoder.extra.weight"] = torch.zeros(2, 2)
        elif change == "transpose" and state[name].dim() == 2:
            state[name] = state[name].t().contiguous()
        elif change == "grow":
            state[name] = torch.zeros(*[d + 1 for d in state[name].shape])
        else:
            state[name.replace("encoder", "encoders")] = state.pop(name)
    elif kind == "dtype":
        integer = INTEGER_DTYPES[int(rng.integers(len(INTEGER_DTYPES)))]
        name = rng.choice(sorted(state))
        state[name] = state[name].to(integer)
        dtype = None
    if kind == "header":
        tensors = {n: ("F32", list(t.shape), t.to(torch.float32).contiguous().numpy().tobytes()) for n, t in state.items()}
        raw = bytearray(header_file(tensors, meta))
        damage = rng.choice(["truncate", "length", "byte", "nan", "duplicate", "float-shape", "offsets", "meta-number", "bf16-size"])
        if damage == "truncate":
            raw = raw[:int(rng.integers(0, len(raw)))]
        elif damage == "length":
            raw[:8] = struct.pack("<Q", int(rng.choice([0, 2, len(raw), 1 << 40, 100_000_001])))
        elif damage == "byte":
            position = int(rng.integers(8, min(len(raw), 400)))
            raw[position] = int(rng.integers(0, 256))
        else:
            name = sorted(tensors)[0]
            header = json.loads(bytes(raw[8:8 + struct.unpack("<Q", raw[:8])[0]]))
            text = None
            if damage == "nan":
                text = json.dumps(header).replace('"data_offsets"', '"x": NaN, "data_offsets"', 1)
            elif damage == "duplicate":
                text = json.dumps(header)[:-1] + ', "' + name + '": ' + json.dumps(header[name]) + "}"
            elif damage == "float-shape":
                header[name]["shape"] = [float(d) for d in header[name]["shape"]]
            elif damage == "offsets":
                header[name]["data_offsets"] = [header[name]["data_offsets"][0] + 4, header[name]["data_offsets"][1] + 4]
            elif damage == "meta-number" and "__metadata__" in header:
                header["__metadata__"]["latent_dim"] = 2
            elif damage == "bf16-size":
                header[name]["dtype"] = "BF16"
            text = (text or json.dumps(header)).encode()
            raw = bytearray(struct.pack("<Q", len(text)) + text + raw[8 + struct.unpack("<Q", raw[:8])[0]:])
        with open(path, "wb") as f:
            f.write(raw)
        return f"header-{damage}"
    tensors = {k: (v.to(dtype) if dtype is not None and v.is_floating_point() else v).contiguous() for k, v in state.items()}
    save_file(tensors, path, metadata=meta)
    return kind


# A score per input value beyond this is an overflow in either program: a model's loss is a few nats
# per value; 1e30 per value summed over a few thousand values nears F32's largest number.
OVERFLOW = 1e30


def overflowed(score):
    return isinstance(score, str) or abs(score) > OVERFLOW


def verdicts(command, listing):
    run = subprocess.run([*command, "check-weights", "--list", listing], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"{command[0]} ended with status {run.returncode} (a trap?): {run.stderr[-2000:]}"
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    return {entry["path"]: entry for entry in lines}


def test_both_programs_give_the_same_verdict_on_every_fuzzed_weight_file(tmp_path):
    binary = swift_binary()
    rng = np.random.default_rng(SEED)
    kinds, paths = {}, []
    for case in range(CASES):
        path = str(tmp_path / f"case-{case:05d}.safetensors")
        kinds[path] = make_case(rng, path)
        paths.append(path)
    listing = str(tmp_path / "files.txt")
    with open(listing, "w") as f:
        f.write("\n".join(paths) + "\n")
    swift = verdicts([binary], listing)
    ours = verdicts([sys.executable, "-m", "latent_explorer_torch"], listing)
    assert len(swift) == len(ours) == CASES

    disagreements, both_read = [], 0
    for path in paths:
        s, t = swift[path], ours[path]
        assert t["verdict"] != "crash", f"{path} ({kinds[path]}): the PyTorch package failed unexpectedly: {t['reason']}"
        same = s["verdict"] == t["verdict"] and s["exit"] == t["exit"]
        if same and s["verdict"] == "read":
            both_read += 1
            same = s["fits_letters"] == t["fits_letters"]
            a, b = s["score"], t["score"]
            if overflowed(a) or overflowed(b):
                # Which of NaN, infinity or a huge number an overflowing sum ends as depends on the order
                # and width of the arithmetic (Swift sums the loss in Double, PyTorch in F32), not on
                # what was read.
                same = same and overflowed(a) and overflowed(b)
            else:
                same = same and abs(a - b) <= SCORE_TOLERANCE * max(1.0, abs(a))
        if not same:
            disagreements.append(f"{os.path.basename(path)} ({kinds[path]}): swift {s}, torch {t}")
    counts = {kind: list(kinds.values()).count(kind) for kind in sorted(set(kinds.values()))}
    print(f"\n{CASES} files, seed {SEED}: {both_read} read by both, {CASES - both_read - len(disagreements)} refused by both, "
          f"{len(disagreements)} disagreements; kinds {dict((str(k), v) for k, v in counts.items())}")
    assert both_read > CASES // 10 and CASES - both_read > CASES // 10, "the campaign must both read and refuse files"
    assert not disagreements, f"{len(disagreements)} disagreements:\n" + "\n".join(disagreements[:20])

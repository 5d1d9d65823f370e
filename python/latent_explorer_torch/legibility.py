"""How legible a VAE's decoded letters are, read by a letter classifier that owes nothing to the VAEs.

    python -m latent_explorer_torch.legibility --data REAL [--plain W.safetensors] --cvae C.safetensors [--plane slice|pca] [--json OUT]

1. The reader: a small CNN (`LetterCNN`) trained on real EMNIST letters only, never on a decoded or a
   synthetic one: the real training split and the part of the real test split the VAEs may train on
   (`TestPartition`'s rest), its epoch chosen on the validation part, and its accuracy reported on the
   held-out part, which neither it nor the shipped VAEs ever trained on or watched.
2. The plain 2-D model's plane: 21 x 21 latent points at the prior's quantiles (z = Phi^-1((i + 1/2) / 21)
   on each axis), decoded to pixel probabilities; a tile is legible when the reader gives some letter at
   least 50 %, and a letter appears when it is the reading of at least one legible tile.
3. The conditional model's style plane: the same 441 points decoded once for each of its classes; the
   share of tiles the reader reads as the intended letter (its top class), overall and per letter, and
   the share read so with at least 50 %.

The plane is one the explorer shows. With two latent dimensions it is the whole latent space. With more,
`--plane slice` (the default) is z1 across and z2 up, every other dimension held at 0 (the explorer's `0` key)
(where the explorer opens a conditional model) or, with `--anchor N`, at the code of test letter #N, as
after Enter on that browsed letter (the explorer names it in its title); `--plane pca` is the one its `p` key shows: through the mean of the codes of the explorer's test
letters (`explore`'s default 2,600, sampled per class as `StratifiedSampling` does), spanned by their first
two principal components (`PrincipalComponents`' signs). The 21 x 21 points are at the prior's quantiles
in the plane's own coordinates on both.

Decoding uses the PyTorch twin of each model (`models.py`), which the fixtures pin to the Swift decoder.
"""
import argparse
import json
import os
import pickle
import sys
from statistics import NormalDist

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from . import classes, data, weights
from .swift_random import SeededGenerator, test_partition

GRID = 21  # tiles a side: the plane's 441 points
LEGIBLE = 0.5  # a tile is legible when the reader gives some letter at least this probability
SHIFT = 2  # the reader's training letters move by up to this many pixels each way (handwriting is not centred alike)
EPOCHS, BATCH, LEARNING_RATE = 12, 64, 1e-3
# The explorer's test letters, whose codes its PCA plane is found from: `explore --test-count`'s default
# and `ExplorerData.samplingSeed`.
EXPLORER_TEST_COUNT, EXPLORER_SAMPLING_SEED = 2_600, 8
PLANES = ("slice", "pca")


class LetterCNN(nn.Module):
    """28x28 -> conv 3x3 16 ReLU -> max-pool 2 -> conv 3x3 32 ReLU -> max-pool 2 -> 128 ReLU -> dropout -> C logits
    (small enough to train in minutes on two shared cores)."""

    def __init__(self, classes_count):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 16, 3, padding=1), nn.Conv2d(16, 32, 3, padding=1)
        self.hidden, self.output = nn.Linear(32 * 7 * 7, 128), nn.Linear(128, classes_count)
        self.dropout = nn.Dropout(0.3)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.conv1(x.view(-1, 1, 28, 28))), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        return self.output(self.dropout(F.relu(self.hidden(h.flatten(1)))))


def unit(pixels):
    return torch.as_tensor(pixels, dtype=torch.float32) / 255


def shifted(x, generator):
    """Each image moved by a random whole number of pixels in -SHIFT..SHIFT on each axis (zeros fill in)."""
    count, side = x.shape[0], 28
    padded = F.pad(x.view(count, side, side), (SHIFT,) * 4)               # [B, 28 + 2 SHIFT, 28 + 2 SHIFT]
    offsets = torch.randint(0, 2 * SHIFT + 1, (count, 2), generator=generator)
    rows = offsets[:, :1] + torch.arange(side)                            # [B, 28]
    columns = offsets[:, 1:] + torch.arange(side)                         # [B, 28]
    picked = padded[torch.arange(count)[:, None], rows]                   # [B, 28, 28 + 2 SHIFT]
    return picked[torch.arange(count)[:, None, None], torch.arange(side)[None, :, None], columns[:, None, :]].unsqueeze(1)


@torch.no_grad()
def probabilities(reader, x):
    reader.eval()
    return torch.cat([F.softmax(reader(x[i:i + 1024]), 1) for i in range(0, len(x), 1024)])


def train_reader(train_x, train_y, validation_x, validation_y, classes_count, seed, log):
    """The reader of the epoch with the best validation accuracy."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    reader = LetterCNN(classes_count)
    optimizer = torch.optim.Adam(reader.parameters(), lr=LEARNING_RATE)
    best, best_state = -1.0, None
    for epoch in range(1, EPOCHS + 1):
        reader.train()
        order = torch.randperm(len(train_x), generator=generator)
        for first in range(0, len(order), BATCH):
            batch = order[first:first + BATCH]
            loss = F.cross_entropy(reader(shifted(train_x[batch], generator)), train_y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        accuracy = float((probabilities(reader, validation_x).argmax(1) == validation_y).float().mean())
        if accuracy > best:
            best, best_state = accuracy, {k: v.clone() for k, v in reader.state_dict().items()}
        log(f"reader epoch {epoch}/{EPOCHS}: validation accuracy {accuracy:.4f}")
    reader.load_state_dict(best_state)
    return reader, best


def quantile_grid():
    """[GRID * GRID, 2] latent points: rows top (high z2) to bottom, columns left to right."""
    q = [NormalDist().inv_cdf((i + 0.5) / GRID) for i in range(GRID)]
    return torch.tensor([[x, y] for y in reversed(q) for x in q], dtype=torch.float32)


def stratified_shares(total, sizes):
    """`StratifiedSampling.shares`: equal shares of `total`, capped at each size, the leftover handed on
    to the classes that still have images; earlier classes get the odd remainder."""
    quotas = [0] * len(sizes)
    remaining = min(total, sum(sizes))
    while remaining > 0:
        open_classes = [i for i in range(len(sizes)) if quotas[i] < sizes[i]]
        share = max(1, remaining // len(open_classes))
        for i in open_classes:
            if remaining <= 0:
                break
            add = min(share, sizes[i] - quotas[i], remaining)
            quotas[i] += add
            remaining -= add
    return quotas


def stratified_indices(labels, count, seed):
    """`StratifiedSampling.indices`: ascending indices of at most `count` of `labels`, spread over the
    classes; per class (in label order) a generator of its own stream and a partial Fisher-Yates."""
    labels = np.asarray(labels)
    if count <= 0 or len(labels) == 0:
        return np.array([], dtype=np.int64)
    if count >= len(labels):
        return np.arange(len(labels))
    classes = sorted(set(labels.tolist()))
    members_of = [np.flatnonzero(labels == label).tolist() for label in classes]
    chosen = []
    for label, members, take in zip(classes, members_of, stratified_shares(count, [len(m) for m in members_of])):
        generator = SeededGenerator.stream(seed, int(label))
        for slot in range(take):
            pick = slot + generator.next() % (len(members) - slot)
            members[slot], members[pick] = members[pick], members[slot]
        chosen += members[:take]
    return np.array(sorted(chosen), dtype=np.int64)


@torch.no_grad()
def explorer_codes(model, model_names, dataset):
    """[count, D] latent means of the explorer's test letters (each with its class for a conditional model)."""
    chosen = dataset.test.subset(stratified_indices(dataset.test.labels, EXPLORER_TEST_COUNT, EXPLORER_SAMPLING_SEED))
    model.eval()
    x = unit(chosen.pixels)
    if not model_names:
        return model.encode(x)[0].double().numpy()
    return model.encode(x, torch.as_tensor(classes.indices(chosen.labels, dataset, model_names)))[0].double().numpy()


def principal_plane(codes):
    """(mean, [PC1, PC2], their shares of the variance) of `codes` as `PrincipalComponents`: the covariance
    over the count (not count - 1), components by decreasing variance, each signed so that its largest
    entry (the first of equals) is positive."""
    mean = codes.mean(0)
    centred = codes - mean
    values, vectors = np.linalg.eigh(centred.T @ centred / len(codes))
    order = np.argsort(-values, kind="stable")[:2]
    axes = []
    for column in order:
        vector = vectors[:, column]
        axes.append(-vector if vector[np.argmax(np.abs(vector))] < 0 else vector)
    shares = [float(max(values[c], 0) / np.clip(values, 0, None).sum()) for c in order]
    return mean, np.stack(axes), shares


@torch.no_grad()
def test_letter_code(model, model_names, dataset, index):
    """[D] latent mean of test letter `index` of the data's test split (with its class for a conditional model)."""
    if not 0 <= index < len(dataset.test):
        raise data.DataError(f"--anchor {index}: the test split holds {len(dataset.test)} letters (0...{len(dataset.test) - 1})")
    letter = dataset.test.subset(np.array([index]))
    model.eval()
    if not model_names:
        return model.encode(unit(letter.pixels))[0][0]
    return model.encode(unit(letter.pixels), torch.as_tensor(classes.indices(letter.labels, dataset, model_names)))[0][0]


def plane_points(model, model_names, dataset, plane, anchor=None):
    """([GRID * GRID, D] latent points of the quantile grid on `plane`, a sentence saying which plane).
    A slice holds the other dimensions at 0, or at the code of test letter `anchor` (as after Enter on
    it in the explorer: its title names the letter, `others at letter 'o' #8058`)."""
    grid = quantile_grid()
    dimension = model.configuration().latent_dim
    if dimension == 2 and plane == "slice":
        return grid, "the whole 2-D latent plane"
    if plane == "slice":
        points = torch.zeros(len(grid), dimension)
        held = "at 0 (the explorer's 0 key)"
        if anchor is not None:
            points[:] = test_letter_code(model, model_names, dataset, anchor)
            name = dataset.class_name(int(dataset.test.labels[anchor]))
            held = f"at the code of test letter '{name}' #{anchor}"
        points[:, :2] = grid
        return points, f"the z1-z2 slice of the {dimension}-D latent space, the other dimensions {held}"
    mean, axes, shares = principal_plane(explorer_codes(model, model_names, dataset))
    points = torch.as_tensor(mean + grid.double().numpy() @ axes, dtype=torch.float32)
    return points, (f"the PC1-PC2 plane of the {dimension}-D codes of the explorer's {EXPLORER_TEST_COUNT} test letters "
                    f"(PC1 {shares[0]:.0%}, PC2 {shares[1]:.0%}), through their mean (the explorer's p)")


@torch.no_grad()
def decode(model, points, class_index=None):
    model.eval()
    if class_index is None:
        return torch.sigmoid(model.decode(points))
    return torch.sigmoid(model.decode(points, torch.full((len(points),), class_index, dtype=torch.long)))


def kept_reader(path, key, log):
    """(reader, validation accuracy) saved at `path` by an earlier run with the same `key` (data, seed,
    classes, training constants); (None, None) when there is no file; DataError when it was trained otherwise."""
    if not os.path.exists(path):
        return None, None
    try:
        saved = torch.load(path, weights_only=True)
        reader = LetterCNN(len(key["classes"]))
        if saved["key"] != key:
            raise data.DataError(f"--reader {path} was trained on other letters or with another seed; remove it or name another file")
        reader.load_state_dict(saved["state"])
    except (OSError, RuntimeError, KeyError, TypeError, pickle.UnpicklingError) as error:
        raise data.DataError(f"--reader {path} is not a reader this program saved ({str(error).splitlines()[0]})")
    log(f"reader read from {path} (validation accuracy {saved['validation_accuracy']:.4f})")
    return reader, saved["validation_accuracy"]


def reader_letters(dataset):
    """The reader's real letters as (images [n, 784] in 0..1, class indices) pairs, and its class names:
    (names, train, validation, held_out). Its class i is the i-th label in order; it trains on the
    training split and the test letters the VAEs may train on (`test_partition`'s rest), chooses its
    epoch on the validation part and is scored on the held-out part."""
    labels = sorted(dataset.class_names)
    index_of_label = {label: i for i, label in enumerate(labels)}
    held_out, validation, rest = test_partition(dataset.test.labels)

    def tensors(images):
        return unit(images.pixels), torch.tensor([index_of_label[int(v)] for v in images.labels])

    (train_x, train_y), (rest_x, rest_y) = tensors(dataset.train), tensors(dataset.test.subset(rest))
    return ([dataset.class_name(label) for label in labels], (torch.cat([train_x, rest_x]), torch.cat([train_y, rest_y])),
            tensors(dataset.test.subset(validation)), tensors(dataset.test.subset(held_out)))


def measure(args, log):
    dataset = data.load(args.data)
    names, (train_x, train_y), (validation_x, validation_y), (test_x, test_y) = reader_letters(dataset)
    key = {"data": os.path.realpath(args.data), "seed": args.seed, "classes": names, "train_letters": len(train_x),
           "epochs": EPOCHS, "batch": BATCH, "learning_rate": LEARNING_RATE, "shift": SHIFT}
    reader, validation_accuracy = kept_reader(args.reader, key, log) if args.reader else (None, None)
    if reader is None:
        reader, validation_accuracy = train_reader(train_x, train_y, validation_x, validation_y, len(names), args.seed, log)
        if args.reader:
            torch.save({"key": key, "state": reader.state_dict(), "validation_accuracy": validation_accuracy}, args.reader)
    read = probabilities(reader, test_x).argmax(1)
    per_class = {names[c]: (int((read[test_y == c] == c).sum()), int((test_y == c).sum())) for c in range(len(names))}
    result = {"reader": {"train_letters": len(train_x), "validation_letters": len(validation_x),
                         "held_out_letters": len(test_x), "validation_accuracy": validation_accuracy,
                         "held_out_accuracy": float((read == test_y).float().mean()),
                         "held_out_by_letter": {n: {"right": r, "of": t} for n, (r, t) in per_class.items()}}}
    if args.plain:
        plain, _ = weights.load(args.plain)
        points, plane = plane_points(plain, [], dataset, args.plane, args.anchor)
        p = probabilities(reader, decode(plain, points))
        confident, letter = p.max(1)
        legible = confident >= LEGIBLE
        seen = sorted({names[int(c)] for c in letter[legible]})
        result["plain"] = {"weights": args.plain, "plane": plane, "tiles": len(points),
                           "legible_share": float(legible.float().mean()), "letters_appearing": len(seen),
                           "letters": "".join(seen), "missing": "".join(n for n in names if n not in seen)}

    cvae, meta = weights.load(args.cvae)
    model_names = classes.names_of(cvae, meta)
    points, plane = plane_points(cvae, model_names, dataset, args.plane, args.anchor)
    by_letter = {}
    for y, name in enumerate(model_names):
        if name not in names:
            continue
        p = probabilities(reader, decode(cvae, points, y))
        confident, letter = p.max(1)
        intended = letter == names.index(name)
        by_letter[name] = {"read_as_intended": float(intended.float().mean()),
                           "read_as_intended_at_least_half_sure": float((intended & (confident >= LEGIBLE)).float().mean())}
    result["cvae"] = {"weights": args.cvae, "plane": plane, "tiles_per_letter": len(points), "letters": len(by_letter),
                      "read_as_intended": float(np.mean([v["read_as_intended"] for v in by_letter.values()])),
                      "read_as_intended_at_least_half_sure": float(np.mean([v["read_as_intended_at_least_half_sure"]
                                                                            for v in by_letter.values()])),
                      "worst_letter": min(by_letter, key=lambda n: by_letter[n]["read_as_intended"]),
                      "by_letter": by_letter}
    return result


def table(result):
    """The figures as the Markdown of docs/experiments.md."""
    r, plain, cvae = result["reader"], result.get("plain"), result["cvae"]
    lines = [f"Reader: {r['held_out_accuracy']:.3f} right on {r['held_out_letters']} held-out real letters "
             f"(validation {r['validation_accuracy']:.3f} on {r['validation_letters']}; trained on {r['train_letters']} real letters).",
             ""]
    if plain:
        lines += [f"Plain model, {plain['plane']}: {plain['legible_share']:.1%} of {plain['tiles']} tiles legible; "
                  f"{plain['letters_appearing']} of 26 letters appear ({plain['letters']}); never: {plain['missing'] or 'none'}.",
                  ""]
    lines += [f"CVAE, {cvae['plane']}: {cvae['read_as_intended']:.1%} of {cvae['letters']} x {cvae['tiles_per_letter']} tiles read as the intended letter "
              f"({cvae['read_as_intended_at_least_half_sure']:.1%} with the reader at least 50 % sure); worst letter {cvae['worst_letter']}.",
              "",
              "| letter | CVAE tiles read as it | ... at least 50 % sure | reader on held-out real letters |",
              "|---|---|---|---|"]
    for name, v in cvae["by_letter"].items():
        held = r["held_out_by_letter"].get(name, {"right": 0, "of": 0})
        lines.append(f"| {name} | {v['read_as_intended']:.1%} | {v['read_as_intended_at_least_half_sure']:.1%} | "
                     f"{held['right']}/{held['of']} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m latent_explorer_torch.legibility", description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="a folder of real EMNIST letters")
    parser.add_argument("--plain", help="a plain model's weights (its plane is read for legible tiles; none: not measured)")
    parser.add_argument("--cvae", required=True, help="a conditional model's weights (its style planes are read)")
    parser.add_argument("--plane", choices=PLANES, default="slice",
                        help="with more than two latent dimensions, the explorer's plane to read: slice (z1-z2, the others "
                             "at 0 or at --anchor's code) or pca (its p key: the test codes' first two principal components)")
    parser.add_argument("--anchor", type=int, help="with --plane slice, hold the other dimensions at the code of this letter of "
                                                    "the test split (as Enter on a browsed letter does; the explorer's title names it, e.g. #8058)")
    parser.add_argument("--seed", type=int, default=0, help="the reader's initialisation, shuffling and shifts")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--reader", help="keep the trained reader in this file and read it back on later runs with the same "
                                         "letters and seed (measuring several models then trains it once)")
    args = parser.parse_args(argv)
    try:
        result = measure(args, lambda line: print(line, file=sys.stderr, flush=True))
    except (data.DataError, weights.WeightsError) as error:
        print(f"legibility: error: {str(error).splitlines()[0]}", file=sys.stderr)
        return 1
    print(table(result))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1, sort_keys=True)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Reads the real photo fixtures' prepared 28x28 letters with an independent letter reader, the yardstick
of docs/explorer.md's "Real photos": is a photo lost in the preparation or in our models?

    PYTHONPATH=python .build/python-venv/bin/python scripts/photo-yardstick.py --real DIR \\
        [--weights Weights/letters-cvae-16d.safetensors] [--bin .build/debug/latent-explorer] [FOLDER...]

1. `latent-explorer encode` prepares every `*-X.png` of each FOLDER (default: the development, the
   held-out and the fresh photos in Tests/Fixtures/letter-photos) and draws them with `--out` as SVG; the prepared
   28x28 of each is read back from the drawing's middle column (its greys as drawn, 32 levels), and the
   model's own verdict from `--json`.
2. The reader is `LetterCNN` of latent_explorer_torch.legibility, trained as `measure-legibility.sh`
   trains it: on the real letters only (the training split and the test letters the VAEs may train on),
   its epoch chosen on the validation part. It never saw a photo or a decoded letter.
3. For each folder: how many photos the reader and the model read as their letter, and how many the
   reader reads after changes to the prepared images (strokes a pixel thicker or thinner, a blur, the
   letter shrunk into a 20-pixel box, its readings summed over the nine one-pixel shifts).
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

from latent_explorer_torch import data, legibility

REPOSITORY = pathlib.Path(__file__).resolve().parent.parent
PHOTOS = REPOSITORY / "Tests/Fixtures/letter-photos"
SIDE = 28


def trained_reader(real, seed):
    """LetterCNN on the real letters, as legibility.measure trains it; returns it and its class names."""
    names, (train_x, train_y), (validation_x, validation_y), _ = legibility.reader_letters(data.load(real))
    reader, _ = legibility.train_reader(train_x, train_y, validation_x, validation_y, len(names), seed,
                                        lambda line: print(line, file=sys.stderr))
    return reader, names


def prepared_letters(binary, weights, real, files):
    """[count, 784] prepared letters (0..1) and the model's verdicts, from `encode --json --out x.svg`."""
    with tempfile.TemporaryDirectory() as folder:
        svg = pathlib.Path(folder) / "report.svg"
        out = subprocess.run([binary, "encode", *map(str, files), "--weights", weights, "--data", real, "--json",
                              "--out", str(svg)], check=True, capture_output=True, text=True).stdout
        drawing = svg.read_text()
    verdicts = [json.loads(line).get("verdict", {}).get("class", "?").lower() for line in out.splitlines() if line.strip()]
    tiles = []
    for body in re.findall(r'<g transform="translate\(\d+,\d+\)">(.*?)</g>', drawing):
        tile = np.zeros((SIDE, SIDE), np.float32)
        for grey, path in re.findall(r'<path fill="#(..)...." d="([^"]*)"', body):
            for x, y, run in re.findall(r"M(\d+) (\d+)h(\d+)", path):
                tile[int(y), int(x):int(x) + int(run)] = int(grey, 16) / 255
        tiles.append(tile)
    prepared = np.stack(tiles[1::3])   # each row: the input, the prepared letter, the reconstruction
    assert len(prepared) == len(verdicts) == len(files), "one drawn row and one JSON line per photo"
    return torch.tensor(prepared.reshape(-1, SIDE * SIDE)), verdicts


def variants(x):
    """The prepared letters [count, 784] and the changes the reader is also shown, by name."""
    images = x.view(-1, 1, SIDE, SIDE)
    return {"as prepared": x,
            "a pixel thicker": F.max_pool2d(images, 3, 1, 1).flatten(1),
            "a pixel thinner": (-F.max_pool2d(-images, 3, 1, 1)).flatten(1),
            "blurred (3x3 mean)": F.avg_pool2d(images, 3, 1, 1).flatten(1),
            "shrunk into 20 pixels": F.pad(F.interpolate(images, size=(20, 20), mode="bilinear"), (4,) * 4).flatten(1)}


def shift_summed(reader, x):
    """The reader's log-probabilities summed over the nine one-pixel shifts of each letter [count, C]."""
    images = x.view(-1, 1, SIDE, SIDE)
    return sum(legibility.probabilities(reader, torch.roll(images, (dy, dx), (2, 3)).flatten(1)).log()
               for dy in (-1, 0, 1) for dx in (-1, 0, 1))


def report(reader, names, folder, binary, weights, real):
    files = sorted(folder.glob("*.png"))
    letters = [f.stem.split("-")[-1].lower() for f in files]
    x, verdicts = prepared_letters(binary, weights, real, files)

    def right(scores):
        return sum(names[int(i)] == letter for i, letter in zip(scores.argmax(1), letters))

    read = legibility.probabilities(reader, x).argmax(1)
    print(f"== {folder.relative_to(REPOSITORY)}: {len(files)} photos")
    for f, letter, cnn, model in zip(files, letters, read, verdicts):
        print(f"  {f.name:16s} {letter}  reader: {names[int(cnn)]}  model: {model}")
    print(f"  the model ({pathlib.Path(weights).name}) reads {sum(v == l for v, l in zip(verdicts, letters))}")
    for name, images in variants(x).items():
        print(f"  the reader, {name}: {right(legibility.probabilities(reader, images))}")
    print(f"  the reader, summed over one-pixel shifts: {right(shift_summed(reader, x))}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", type=pathlib.Path, default=[PHOTOS, PHOTOS / "held-out", PHOTOS / "fresh"])
    parser.add_argument("--real", required=True, help="a folder of real EMNIST letters (LATENT_EXPLORER_DATA)")
    parser.add_argument("--weights", default=str(REPOSITORY / "Weights/letters-cvae-16d.safetensors"))
    parser.add_argument("--bin", default=str(REPOSITORY / ".build/debug/latent-explorer"))
    parser.add_argument("--seed", type=int, default=0, help="the reader's initialisation, shuffling and shifts")
    args = parser.parse_args(argv)
    torch.manual_seed(args.seed)
    reader, names = trained_reader(args.real, args.seed)
    for folder in args.folders:
        report(reader, names, folder.resolve(), args.bin, args.weights, args.real)
    return 0


if __name__ == "__main__":
    sys.exit(main())

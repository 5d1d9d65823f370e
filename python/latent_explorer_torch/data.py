"""The data folders the Swift program reads, read the same way (Sources/LetterData/DatasetLoader.swift):

- EMNIST as NIST ships it: `emnist-<split>-{train,test}-{images-idx3,labels-idx1}-ubyte`, gzipped or not,
  or the CSV export `emnist-<split>-{train,test}.csv` (a label, then 784 pixels); the split named, or the
  first present of letters, digits, balanced, byclass, bymerge, mnist. EMNIST stores images transposed
  (column-major); they are transposed back to upright on load, from IDX and CSV alike. Class names come
  from `emnist-<split>-mapping.txt` when present, else from NIST's published mapping.
- Otherwise an MNIST-format folder (`train-` and `t10k-` IDX files): MNIST digits, or Fashion-MNIST when
  the folder's path says "fashion".

Images are 28x28 bytes, row-major and upright; labels are integers. Every size read from a file is
checked against the bytes present before anything is allocated; bad input raises DataError with a
one-line message.
"""
import gzip
import os
from dataclasses import dataclass, replace

import numpy as np

from . import contract

SIDE = 28
PIXELS = SIDE * SIDE
IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
EMNIST_SPLITS = ("letters", "digits", "balanced", "byclass", "bymerge", "mnist")
LABEL_RANGE = range(0, 65_536)
FASHION_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


class DataError(Exception):
    """A data folder or file that cannot be read, with a one-line reason."""


@dataclass
class ImageSet:
    """`pixels` uint8 [count, 784], upright; `labels` int64 [count]."""

    pixels: np.ndarray
    labels: np.ndarray

    def __len__(self):
        return len(self.labels)

    def subset(self, indices):
        return ImageSet(self.pixels[indices], self.labels[indices])

    def filtered(self, keep):
        return self.subset(np.flatnonzero(np.isin(self.labels, sorted(keep))))


@dataclass
class LabelledDataset:
    """A training and a test split and the name of each class; `name` as the Swift program writes it."""

    name: str
    train: ImageSet
    test: ImageSet
    class_names: dict

    @property
    def labels_present(self):
        return sorted(set(self.train.labels.tolist()) | set(self.test.labels.tolist()))

    def class_name(self, label):
        return self.class_names.get(label, str(label))

    def restricted(self, wanted: str):
        """Only the classes whose names are the characters of `wanted` (e.g. "aeiou"), case-insensitively;
        the name then says so, e.g. "emnist-letters (idx), classes aeiou"."""
        keep = set()
        for character in wanted:
            matches = [label for label, name in self.class_names.items() if name.lower() == character.lower()]
            if not matches:
                available = " ".join(self.class_name(label) for label in self.labels_present)
                raise DataError(f"no class '{character}' in this data set (its classes: {available})")
            keep.add(min(matches))
        return replace(self, name=f"{self.name}, classes {wanted}", train=self.train.filtered(keep),
                       test=self.test.filtered(keep))


def _read_bytes(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise DataError(f"{path}: no such file") from None
    except OSError as error:
        raise DataError(f"{path}: {error.strerror}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise DataError(f"{path}: not a valid gzip stream ({error})") from None
    return raw


def _big_endian(data, offset):
    return int.from_bytes(data[offset:offset + 4], "big")


def _check_magic(data, expected, path):
    if len(data) < 4:
        raise DataError(f"{path}: truncated: expected at least 4 bytes, found {len(data)}")
    found = _big_endian(data, 0)
    if found != expected:
        raise DataError(f"{path}: not an IDX file of the expected kind (magic 0x{found:08x}, expected 0x{expected:08x})")


def transposed(pixels):
    """Each 28x28 image [count, 784] transposed (EMNIST's column-major files to upright, and back)."""
    return np.ascontiguousarray(pixels.reshape(-1, SIDE, SIDE).transpose(0, 2, 1).reshape(-1, PIXELS))


def parse_idx_images(data, path, transpose):
    _check_magic(data, IMAGES_MAGIC, path)
    if len(data) < 16:
        raise DataError(f"{path}: truncated: expected 16 header bytes, found {len(data)}")
    count, rows, columns = _big_endian(data, 4), _big_endian(data, 8), _big_endian(data, 12)
    if (rows, columns) != (SIDE, SIDE):
        raise DataError(f"{path}: images are {rows}x{columns}, expected {SIDE}x{SIDE}")
    expected = 16 + count * PIXELS
    if len(data) < expected:
        raise DataError(f"{path}: truncated: expected {expected} bytes, found {len(data)}")
    pixels = np.frombuffer(data, dtype=np.uint8, count=count * PIXELS, offset=16).reshape(count, PIXELS)
    return transposed(pixels) if transpose else pixels.copy()


def parse_idx_labels(data, path):
    _check_magic(data, LABELS_MAGIC, path)
    if len(data) < 8:
        raise DataError(f"{path}: truncated: expected 8 header bytes, found {len(data)}")
    count = _big_endian(data, 4)
    if len(data) < 8 + count:
        raise DataError(f"{path}: truncated: expected {8 + count} bytes, found {len(data)}")
    return np.frombuffer(data, dtype=np.uint8, count=count, offset=8).astype(np.int64)


def _idx_set(images_path, labels_path, transpose):
    pixels = parse_idx_images(_read_bytes(images_path), images_path, transpose)
    labels = parse_idx_labels(_read_bytes(labels_path), labels_path)
    if len(pixels) != len(labels):
        raise DataError(f"{images_path}: {len(pixels)} images but {len(labels)} labels")
    if len(labels) == 0:
        raise DataError(f"{images_path}: holds no images")
    return ImageSet(pixels, labels)


def _is_number(field):
    try:
        float(field)
        return True
    except ValueError:
        return False


def parse_csv(data, path, transpose=True):
    """The EMNIST CSV export and the variants the Swift reader accepts (Sources/LetterData/CSVReader.swift):
    integer or float values, pixels scaled to 0...1 (when no pixel in the file exceeds 1, all are
    multiplied by 255), a header row (a non-numeric label field, or the column numbers), CRLF or CR
    endings, a UTF-8 byte order mark, blank lines, spaces around values. Pixels are rounded to 0...255."""
    text = data.decode("utf-8", errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = [(number, line) for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1)
             if line.strip()]
    if lines:
        fields = [f.strip().strip("\"'") for f in lines[0][1].split(",")]
        columns = [float(f) if _is_number(f) else None for f in fields]
        if columns[0] is None:
            names = [f.lower() for f in fields]
            for column, name in enumerate(names[1:], 2):
                if name in ("label", "labels", "class", "target"):
                    raise DataError(f"{path}: line {lines[0][0]}: the header names column {column} '{name}'; the label must be the first column")
            lines = lines[1:]
        elif len(columns) == PIXELS + 1 and any(columns == [float(i + first) for i in range(PIXELS + 1)] for first in (0, 1)):
            lines = lines[1:]
    if not lines:
        raise DataError(f"{path}: holds no images")
    try:   # numpy's C parser; on failure, the line-by-line pass below names the line and field
        values = np.loadtxt([line for _, line in lines], delimiter=",", dtype=np.float64, ndmin=2)
        if values.shape[1] != PIXELS + 1:
            raise ValueError
    except ValueError:
        values = _parse_rows(lines, path)
    return _csv_images(values, lines, path, transpose)


def _parse_rows(lines, path):
    values = np.empty((len(lines), PIXELS + 1), dtype=np.float64)
    for row, (number, line) in enumerate(lines):
        fields = line.split(",")
        if len(fields) != PIXELS + 1:
            raise DataError(f"{path}: line {number}: expected {PIXELS + 1} fields (a label and {PIXELS} pixels), found {len(fields)}")
        try:
            values[row] = [float(f) for f in fields]
        except ValueError:
            bad = next(i for i, f in enumerate(fields) if not _is_number(f))
            raise DataError(f"{path}: line {number}: field {bad + 1} '{fields[bad].strip()}' is not a number") from None
    return values


def _csv_images(values, lines, path, transpose):
    labels, pixels = values[:, 0], values[:, 1:]
    bad_label = ~np.isfinite(labels) | (labels < 0) | (labels > LABEL_RANGE[-1]) | (labels != np.floor(labels))
    if bad_label.any():
        row = int(np.flatnonzero(bad_label)[0])
        raise DataError(f"{path}: line {lines[row][0]}: field 1 (label) is not a whole number in 0...{LABEL_RANGE[-1]}")
    if not (pixels > 1).any() and (pixels > 0).any():
        pixels = pixels * 255
    bad_pixel = ~np.isfinite(pixels) | (pixels < 0) | (pixels >= 255.5)
    if bad_pixel.any():
        row, column = (int(i[0]) for i in np.nonzero(bad_pixel))
        raise DataError(f"{path}: line {lines[row][0]}: field {column + 2} (pixel {column + 1}) is outside 0...255")
    # Swift's `rounded()` rounds halves away from zero.
    pixels = np.floor(pixels + 0.5).astype(np.uint8)
    return ImageSet(transposed(pixels) if transpose else pixels, labels.astype(np.int64))


def parse_mapping(data, path):
    """`emnist-<split>-mapping.txt`: lines `label code [code ...]`; a class is named by its lower-case
    letter when there is one, else by its first character."""
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    names, codes = {}, {}
    for number, line in enumerate(text.split("\n"), 1):
        fields = line.replace("\t", " ").replace("\r", " ").split()
        if not fields:
            continue
        if not fields[0].isdigit() or int(fields[0]) not in LABEL_RANGE:
            raise DataError(f"{path}: line {number}: label '{fields[0]}' is not a whole number in 0...{LABEL_RANGE[-1]}")
        label = int(fields[0])
        if len(fields) < 2:
            raise DataError(f"{path}: line {number}: label {label} has no character code")
        if label in names:
            raise DataError(f"{path}: line {number}: label {label} appears twice")
        try:
            characters = [chr(int(code)) for code in fields[1:]]
        except (ValueError, OverflowError):
            raise DataError(f"{path}: line {number}: a character code is not a number") from None
        if not all(c.isprintable() and not c.isspace() for c in characters):
            raise DataError(f"{path}: line {number}: a character code is not the code of a printable character")
        for c in characters:
            if codes.setdefault(ord(c), label) != label:
                raise DataError(f"{path}: line {number}: character code {ord(c)} ('{c}') is label {codes[ord(c)]}'s already; "
                                "two classes would have one name")
        names[label] = next((c for c in characters if c.islower()), characters[0])
    if not names:
        raise DataError(f"{path}: line 1: the file names no classes")
    return names


def check_labels(images, names, path):
    """Raises DataError at the first image whose label `names` does not name, with its record number
    (from 1): it would otherwise become a class named by its number, saved into the model."""
    known = np.isin(images.labels, np.fromiter(names, dtype=np.int64))
    if known.all():
        return
    record = int(np.argmin(known))
    labels = sorted(names)
    described = (f"{labels[0]}...{labels[-1]}" if labels[-1] - labels[0] + 1 == len(labels)
                 else contract.listed(labels, limit=120))
    raise DataError(f"{path}: record {record + 1} has label {int(images.labels[record])}, "
                    f"which is not one of the data set's classes (labels {described})")


def default_class_names(split):
    """NIST's published mappings, for EMNIST folders without a mapping file."""
    digits = [str(d) for d in range(10)]
    capitals = [chr(c) for c in range(65, 91)]
    small = [chr(c) for c in range(97, 123)]
    distinct_small = list("abdefghnqrt")
    if split == "letters":
        return {i + 1: name for i, name in enumerate(small)}
    if split in ("digits", "mnist"):
        return dict(enumerate(digits))
    if split in ("balanced", "bymerge"):
        return dict(enumerate(digits + capitals + distinct_small))
    return dict(enumerate(digits + capitals + small))


def load(directory, emnist_split=None) -> LabelledDataset:
    """The data set in `directory`, found as the Swift program finds it."""
    if not os.path.isdir(directory):
        raise DataError(f"{directory}: no such folder")

    def existing(name):
        for candidate in (name, name + ".gz"):
            path = os.path.join(directory, candidate)
            if os.path.exists(path):
                return path
        return None

    def required(name):
        path = existing(name)
        if path is None:
            raise DataError(f"{os.path.join(directory, name)}: no such file")
        return path

    for split in ([emnist_split] if emnist_split else EMNIST_SPLITS):
        prefix = f"emnist-{split}-"
        mapping = existing(prefix + "mapping.txt")

        def names():
            return parse_mapping(_read_bytes(mapping), mapping) if mapping else default_class_names(split)

        train_images = existing(prefix + "train-images-idx3-ubyte")
        if train_images:
            labels = required(prefix + "train-labels-idx1-ubyte"), required(prefix + "test-labels-idx1-ubyte")
            train = _idx_set(train_images, labels[0], True)
            test = _idx_set(required(prefix + "test-images-idx3-ubyte"), labels[1], True)
            return checked(LabelledDataset(f"emnist-{split} (idx)", train, test, names()), labels)
        train_csv = existing(prefix + "train.csv")
        if train_csv:
            test_csv = required(prefix + "test.csv")
            train, test = (parse_csv(_read_bytes(p), p) for p in (train_csv, test_csv))
            return checked(LabelledDataset(f"emnist-{split} (csv)", train, test, names()), (train_csv, test_csv))
    if emnist_split:
        raise DataError(f"{os.path.join(directory, f'emnist-{emnist_split}-train-images-idx3-ubyte')}: no such file")
    train_images = existing("train-images-idx3-ubyte")
    if train_images:
        labels = required("train-labels-idx1-ubyte"), required("t10k-labels-idx1-ubyte")
        train = _idx_set(train_images, labels[0], False)
        test = _idx_set(required("t10k-images-idx3-ubyte"), labels[1], False)
        fashion = "fashion" in directory.lower()
        class_names = dict(enumerate(FASHION_NAMES)) if fashion else default_class_names("mnist")
        return checked(LabelledDataset("fashion-mnist" if fashion else "mnist", train, test, class_names), labels)
    raise DataError(f"{directory}: no EMNIST (IDX or CSV), MNIST or Fashion-MNIST files found")


def checked(dataset, label_files):
    """`dataset`, once every label of its splits is one of its classes (`check_labels`)."""
    check_labels(dataset.train, dataset.class_names, label_files[0])
    check_labels(dataset.test, dataset.class_names, label_files[1])
    return dataset


def load_selected(directory, emnist_split=None, letters=None) -> LabelledDataset:
    """`load`, then the class filter; refuses a split left empty."""
    dataset = load(directory, emnist_split)
    if letters:
        dataset = dataset.restricted(letters)
    for split, images in (("training", dataset.train), ("test", dataset.test)):
        if len(images) == 0:
            raise DataError(f"{dataset.name}: the {split} split holds no images")
    return dataset

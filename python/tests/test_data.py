"""The data readers read what the Swift program reads, the same way, and refuse bad input in one line."""
import os

import numpy as np
import pytest

from conftest import blob_images, idx_images, idx_labels, write_mnist_folder
from latent_explorer_torch import data


def write(path, content):
    with open(path, "wb") as f:
        f.write(content)
    return str(path)


def test_mnist_folders_read_gzipped_or_plain_and_name_fashion(tmp_path):
    labels = np.arange(10)
    pixels = blob_images(labels, 0)
    for compress in (True, False):
        folder = write_mnist_folder(str(tmp_path / f"fashion-{compress}"), pixels, labels, pixels[:3], labels[:3], compress)
        dataset = data.load(folder)
        assert dataset.name == "fashion-mnist"
        assert np.array_equal(dataset.train.pixels, pixels) and np.array_equal(dataset.test.labels, labels[:3])
        assert dataset.class_name(9) == "Ankle boot"
    plain = write_mnist_folder(str(tmp_path / "digits"), pixels, labels, pixels, labels)
    assert data.load(plain).name == "mnist"


def emnist_folder(folder, pixels, labels, csv_text=None):
    """An EMNIST letters folder with the images stored transposed, as NIST stores them."""
    os.makedirs(folder, exist_ok=True)
    stored = data.transposed(pixels)
    if csv_text is None:
        for split in ("train", "test"):
            write(os.path.join(folder, f"emnist-letters-{split}-images-idx3-ubyte"), idx_images(stored))
            write(os.path.join(folder, f"emnist-letters-{split}-labels-idx1-ubyte"), idx_labels(labels))
    else:
        for split in ("train", "test"):
            write(os.path.join(folder, f"emnist-letters-{split}.csv"), csv_text(stored, labels).encode())
    return folder


def csv_rows(stored, labels, scale=1.0, header=False, newline="\n"):
    lines = [",".join(["label"] + [f"pixel{i}" for i in range(784)])] if header else []
    lines += [",".join([f"{label}.0"] + [f"{v * scale:g}" for v in row]) for label, row in zip(labels, stored)]
    return newline.join(lines) + newline


def test_emnist_images_are_transposed_upright_from_idx_and_every_csv_variant(tmp_path):
    labels = np.array([1, 2, 5, 9, 15])
    pixels = blob_images(labels, 4)
    idx = data.load(emnist_folder(str(tmp_path / "idx"), pixels, labels))
    assert idx.name == "emnist-letters (idx)" and idx.class_name(5) == "e"
    assert np.array_equal(idx.train.pixels, pixels)
    variants = {
        "floats": lambda s, l: csv_rows(s, l),
        "header-crlf": lambda s, l: "\ufeff" + csv_rows(s, l, header=True, newline="\r\n"),
        "unit-scaled": lambda s, l: csv_rows(s, l, scale=1 / 255),
    }
    for name, text in variants.items():
        dataset = data.load(emnist_folder(str(tmp_path / name), pixels, labels, text))
        assert dataset.name == "emnist-letters (csv)", name
        assert np.array_equal(dataset.train.pixels, pixels), name
        assert np.array_equal(dataset.train.labels, labels), name


def test_the_mapping_file_names_classes_and_the_filter_keeps_them(tmp_path):
    labels = np.array([1, 2, 5, 9, 15, 5])
    folder = emnist_folder(str(tmp_path / "idx"), blob_images(labels, 5), labels)
    write(os.path.join(folder, "emnist-letters-mapping.txt"), b"1 65 97\n2 66 98\n5 69 101\n9 73 105\n15 79 111\n")
    dataset = data.load_selected(folder, letters="EO")
    assert dataset.name == "emnist-letters (idx), classes EO"
    assert dataset.train.labels.tolist() == [5, 15, 5] and dataset.labels_present == [5, 15]
    with pytest.raises(data.DataError, match="no class 'z'"):
        data.load_selected(folder, letters="z")


@pytest.mark.parametrize("content, message", [
    (idx_images(np.zeros((2, 784), np.uint8))[:-1], "truncated"),
    (b"\x00\x00\x08\x01" + bytes(12), "not an IDX file"),
    (b"\x00\x00", "truncated"),
    ((0x803).to_bytes(4, "big") + (1).to_bytes(4, "big") + (32).to_bytes(4, "big") * 2, "32x32"),
    ((0x803).to_bytes(4, "big") + (0xFFFFFFFF).to_bytes(4, "big") + (28).to_bytes(4, "big") * 2, "truncated"),
])
def test_malformed_idx_files_are_refused_in_one_line(tmp_path, content, message):
    path = write(tmp_path / "train-images-idx3-ubyte", content)
    with pytest.raises(data.DataError, match=message) as error:
        data.parse_idx_images(data._read_bytes(path), path, False)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("text, message", [
    ("1," + ",".join(["0"] * 783) + "\n", "expected 785 fields"),
    ("1," + ",".join(["0"] * 783) + ",x\n", "is not a number"),
    ("1.5," + ",".join(["0"] * 784) + "\n", "not a whole number"),
    ("1," + ",".join(["300"] * 784) + "\n", "outside 0...255"),
    ("pixel0,label," + ",".join(["p"] * 783) + "\n", "the label must be the first column"),
    ("", "holds no images"),
])
def test_malformed_csv_files_are_refused_in_one_line(text, message):
    with pytest.raises(data.DataError, match=message) as error:
        data.parse_csv(text.encode(), "f.csv")
    assert "\n" not in str(error.value)


def test_seeded_mutations_of_a_valid_idx_file_give_images_or_one_line_errors():
    rng = np.random.default_rng(1)
    valid = idx_images(blob_images(np.arange(3), 6))
    for _ in range(300):
        mutated = bytearray(valid)
        for _ in range(rng.integers(1, 4)):
            position = int(rng.integers(0, 16 if rng.random() < 0.7 else len(mutated)))
            mutated[position] = int(rng.integers(0, 256))
        mutated = bytes(mutated[:int(rng.integers(0, len(mutated) + 1))]) if rng.random() < 0.3 else bytes(mutated)
        try:
            pixels = data.parse_idx_images(mutated, "fuzz", True)
            assert pixels.shape[1] == 784 and len(mutated) >= 16 + pixels.size
        except data.DataError as error:
            assert "\n" not in str(error)


def test_a_missing_folder_or_data_set_is_a_one_line_error(tmp_path):
    with pytest.raises(data.DataError, match="no such folder"):
        data.load(str(tmp_path / "absent"))
    with pytest.raises(data.DataError, match="no EMNIST"):
        data.load(str(tmp_path))


def test_seeded_mutations_of_a_csv_file_give_images_or_one_line_errors():
    rng = np.random.default_rng(2)
    valid = csv_rows(data.transposed(blob_images(np.arange(3), 7)), np.arange(3)).encode()
    alphabet = b"0123456789.,-e \r\nx"
    for _ in range(200):
        mutated = bytearray(valid)
        for _ in range(int(rng.integers(1, 6))):
            mutated[int(rng.integers(0, len(mutated)))] = alphabet[int(rng.integers(0, len(alphabet)))]
        try:
            images = data.parse_csv(bytes(mutated), "fuzz.csv")
            assert images.pixels.shape == (len(images.labels), 784) and images.pixels.dtype == np.uint8
        except data.DataError as error:
            assert "\n" not in str(error)


def test_a_label_outside_the_classes_is_refused_with_its_record(tmp_path):
    labels = np.array([0, 1, 10, 2])
    folder = write_mnist_folder(str(tmp_path / "mnist"), blob_images(labels, 1), labels,
                                blob_images(np.array([0, 1]), 2), np.array([0, 1]))
    with pytest.raises(data.DataError, match=r"train-labels-idx1-ubyte.gz: record 3 has label 10, which is not one of the "
                                             r"data set's classes \(labels 0\.\.\.9\)"):
        data.load(folder)
    letters = tmp_path / "letters"
    letters.mkdir()
    rows = "\n".join(f"{label}," + ",".join(["0"] * 784) for label in (1, 200, 3))
    (letters / "emnist-letters-train.csv").write_text(rows + "\n")
    (letters / "emnist-letters-test.csv").write_text("1," + ",".join(["0"] * 784) + "\n")
    with pytest.raises(data.DataError, match="emnist-letters-train.csv: record 2 has label 200"):
        data.load(str(letters))


def test_a_mapping_giving_one_code_to_two_labels_is_refused():
    with pytest.raises(data.DataError, match=r"m.txt: line 3: character code 65 \('A'\) is label 1's already"):
        data.parse_mapping(b"1 65 97\n2 66 98\n3 65 97\n", "m.txt")
    assert data.parse_mapping(b"1 65 97\n2 66 98 98\n", "m.txt") == {1: "a", 2: "b"}

"""A conditional model's classes, as the Swift `ClassMap` matches them: the weight file's `classes`
name the model's one-hot inputs in order, and a data set's labels map onto them by name, so a model of
a...z scores a data set restricted to "aeiou" with each image given its own letter's input."""
import json

import numpy as np

from .data import DataError
from .models import LETTER_CLASSES


def default_names(count):
    """Names for classes nothing names (a file saved without metadata): a...z for 26, else "0", "1", ..."""
    if count == LETTER_CLASSES:
        return [chr(ord("a") + i) for i in range(count)]
    return [str(i) for i in range(count)]


def names_of(model, meta):
    """The class names of `model` (a file's `classes`, or the defaults); [] for an unconditional model."""
    if not model.class_count:
        return []
    try:
        names = json.loads(meta.get("classes", "[]")) if meta else []
    except ValueError:
        names = []
    if not names:
        return default_names(model.class_count)
    if len(names) != model.class_count:
        raise DataError(f"the file names {len(names)} classes for its {model.class_count} one-hot inputs")
    return [str(name) for name in names]


def indices(labels, dataset, names):
    """The class index (0..C-1 in `names`' order) of each of `labels` (the data set's), int64; None when
    `names` is empty (an unconditional model). A class the model lacks is refused in one line."""
    if not names:
        return None
    position = {name: i for i, name in reversed(list(enumerate(names)))}
    out = np.empty(len(labels), dtype=np.int64)
    for label in sorted(set(int(v) for v in labels)):
        name = dataset.class_name(label)
        if name not in position:
            raise DataError(f"the data's class '{name}' is not one of the conditional model's classes ({' '.join(names)})")
        out[np.asarray(labels) == label] = position[name]
    return out

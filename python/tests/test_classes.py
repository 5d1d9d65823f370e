"""A conditional model's classes, as the Swift `ClassMap`: named by the weight file in one-hot order,
matched to a data set's labels by name, refused in one line when the data has a class the model lacks;
and the conditional VAE's loss reads them in both networks."""
import json

import numpy as np
import pytest
import torch

from latent_explorer_torch import classes, models
from latent_explorer_torch.data import DataError, ImageSet, LabelledDataset


def letters(train_labels, test_labels):
    empty = lambda labels: ImageSet(np.zeros((len(labels), 784), dtype=np.uint8), np.asarray(labels))
    names = {label: chr(ord("a") + label - 1) for label in range(1, 27)}
    return LabelledDataset("letters", empty(train_labels), empty(test_labels), names)


def test_labels_map_by_name_and_a_missing_class_is_one_line():
    data = letters([1, 2, 3, 1], [3])
    assert classes.indices(data.train.labels, data, ["c", "a", "b"]).tolist() == [1, 2, 0, 1]
    assert classes.indices(data.train.labels, data, []) is None
    with pytest.raises(DataError, match=r"^the data's class 'c' is not one of the conditional model's classes \(a b\)$"):
        classes.indices(data.test.labels, data, ["a", "b"])


def test_names_come_from_the_file_or_default():
    model = models.CVAE(z=2, h=4, n=12, c=3)
    assert classes.names_of(model, {"classes": json.dumps(["x", "y", "z"])}) == ["x", "y", "z"]
    assert classes.names_of(model, {}) == ["0", "1", "2"]
    assert classes.names_of(models.CVAE(z=2, h=4, n=12), {}) == [chr(ord("a") + i) for i in range(26)]
    assert classes.names_of(models.MLPVAE(z=2, h=4, n=12), {"classes": "[\"a\"]"}) == []
    with pytest.raises(DataError, match="names 2 classes for its 3 one-hot inputs"):
        classes.names_of(model, {"classes": json.dumps(["x", "y"])})


def test_the_class_changes_the_loss_and_is_required():
    torch.manual_seed(0)
    model = models.CVAE(z=2, h=8, n=12, c=3)
    x, noise = torch.rand(2, 12), torch.randn(2, 2)
    first = sum(models.loss_parts(model, x, noise, torch.tensor([0, 1])))
    other = sum(models.loss_parts(model, x, noise, torch.tensor([2, 2])))
    assert float(first.detach()) != pytest.approx(float(other.detach()))
    with pytest.raises(ValueError, match="needs the classes"):
        models.loss_parts(model, x, noise)
    with pytest.raises(ValueError, match="takes no classes"):
        models.loss_parts(models.MLPVAE(z=2, h=8, n=12), x, noise, torch.tensor([0, 1]))

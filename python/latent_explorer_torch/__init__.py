"""LatentExplorer's VAEs on PyTorch: the same modules, data, loss, validation split and weight files as
the Swift program, trained on one process or many under `torchrun` (DistributedDataParallel)."""

__version__ = "0.1"

"""`python -m latent_explorer_torch ...`, which is also what `torchrun -m latent_explorer_torch` runs."""
import sys

from .cli import main

sys.exit(main())

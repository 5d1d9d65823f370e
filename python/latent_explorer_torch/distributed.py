"""One process or many: started plainly, the program is rank 0 of 1; started by `torchrun`, which sets
RANK, WORLD_SIZE, LOCAL_RANK and the rendezvous address, it joins the process group: NCCL when CUDA is
present (one GPU per process, by LOCAL_RANK), gloo on CPUs."""
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass
class Context:
    rank: int = 0
    world: int = 1
    device: torch.device = torch.device("cpu")
    backend: str = "none"

    @property
    def is_main(self):
        return self.rank == 0

    @property
    def distributed(self):
        return self.backend != "none"

    def all_sum(self, values):
        """The element-wise sum over all ranks of a list of numbers (float64), the same on every rank."""
        if not self.distributed:
            return [float(v) for v in values]
        tensor = torch.tensor(values, dtype=torch.float64, device=self.device)
        dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
        return tensor.tolist()

    def barrier(self):
        if self.distributed:
            dist.barrier()

    def describe(self):
        processes = f"{self.world} process" + ("es" if self.world > 1 else "")
        return processes + (f", {self.backend}" if self.distributed else "")


def start():
    """The context of this process; joins the process group when started by torchrun."""
    if "RANK" not in os.environ or "WORLD_SIZE" not in os.environ:
        return Context(device=torch.device("cuda") if torch.cuda.is_available() else torch.device("cpu"))
    rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if torch.cuda.is_available():
        backend, device = "nccl", torch.device("cuda", local_rank % torch.cuda.device_count())
        torch.cuda.set_device(device)
    else:
        backend, device = "gloo", torch.device("cpu")
    dist.init_process_group(backend=backend, rank=rank, world_size=world)
    return Context(rank, world, device, backend)


def stop(context):
    if context.distributed and dist.is_initialized():
        dist.destroy_process_group()

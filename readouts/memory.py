"""This process's memory, read from Linux's /proc (cheap enough to ask after every batch)."""
from __future__ import annotations

import os
import resource

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_mb() -> float:
    """Resident memory now; infinite where /proc is missing, so that a budget check always acts."""
    try:
        with open("/proc/self/statm", "rb") as fh:  # pages resident, the second field
            return int(fh.read().split()[1]) * PAGE_BYTES / 2**20
    except OSError:
        return float("inf")


def peak_mb() -> float:
    """Peak resident memory of this process itself. On Linux, VmHWM: ``ru_maxrss`` of a spawned worker counts
    the parent's memory at the fork that started it (the kernel keeps the larger of the two across exec), so a
    worker of a 1 GB parent would read 1 GB before doing anything."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

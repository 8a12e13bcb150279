"""Peak memory of the duplicate-id index alone, fed N distinct ids in chunks.

    python bench/id_index_memory.py 10000000

Prints how much the process's peak resident memory (``VmHWM``) grew while the ids were
added, what the index holds, and the CPU seconds taken.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pyarrow as pa

from sse_model._io._batch import _SeenIds


def peak_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    return 0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    chunk = 1 << 17
    seen = _SeenIds()
    base = peak_mb()
    t = time.process_time()
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        ids = pa.array([f"org-{i:08d}" for i in range(start, start + m)])
        seen.add(ids, np.arange(start + 1, start + m + 1), np.ones(m, dtype=bool))
    held = sum(h.nbytes + o.nbytes for h, o in seen.levels)
    print(
        f"{n} ids: peak grew by {peak_mb() - base} MB; the index holds {held // 2**20} MB; "
        f"{time.process_time() - t:.1f} s CPU"
    )


if __name__ == "__main__":
    main()

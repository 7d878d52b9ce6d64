"""Reaching a Dask cluster, and placing partition tasks on its workers.

:func:`connect` turns what a user types after ``--scheduler`` into a ``distributed.Client``: a
scheduler's address (``tcp://host:8786``), or ``local:N`` for a cluster of N worker processes
started on this machine (one thread each, no dashboard; it stops when the block ends). Dask is
imported here, inside the functions, and nowhere at import time.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence

from wordvec.distributed._extras import require_distributed

__all__ = ["connect", "describe_cluster"]

_LOCAL = re.compile(r"local(?::(\d+))?")
#: A local cluster listens on loopback only, with no dashboard; the scheduler's own small HTTP server
#: (health checks) takes a free port rather than 8787, which another cluster may hold.
LOCAL_OPTIONS = {"host": "127.0.0.1", "dashboard_address": None,
                 "scheduler_kwargs": {"dashboard_address": "127.0.0.1:0"}}


@contextlib.contextmanager
def connect(address: str, *, timeout: float = 30.0) -> Iterator:
    """A ``distributed.Client`` for ``address`` for the length of the block.

    >>> from wordvec.distributed import connect, describe_cluster
    >>> # skipped: starts two worker processes (seconds)
    >>> with connect("local:2") as client:                          # doctest: +SKIP
    ...     print(describe_cluster(client))
    2 workers, 2 threads (scheduler tcp://127.0.0.1:...)

    ``address``: a scheduler (``tcp://10.0.0.5:8786``, ``tls://...``, ``host:8786``), or
    ``local:N`` (``local`` alone: 2) to start a LocalCluster of N worker processes on this machine,
    one thread each, that is shut down at the end of the block. Everything travels over loopback
    for a local cluster. A scheduler that cannot be reached within ``timeout`` seconds is an
    OSError naming the address.
    """
    distributed = require_distributed()
    if not isinstance(address, str) or not address.strip():
        raise ValueError(f"a scheduler address is needed (tcp://host:8786 or local:N), got {address!r}")
    address = address.strip()
    local = _LOCAL.fullmatch(address)
    if local:
        n = int(local.group(1) or 2)
        if n < 1:
            raise ValueError(f"local:N needs N >= 1 worker processes, got {address!r}")
        with distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True, **LOCAL_OPTIONS) as cluster, \
                distributed.Client(cluster) as client:
            yield client
        return
    try:
        client = distributed.Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        raise OSError(f"cannot reach the Dask scheduler at {address} ({type(exc).__name__}: {exc})") from None
    with client:
        yield client


def worker_addresses(client) -> list[str]:
    """The cluster's workers, sorted by address (empty if none has joined yet)."""
    return sorted(client.nthreads())


def describe_cluster(client) -> str:
    """``"2 workers, 2 threads (scheduler tcp://127.0.0.1:40123)"``: where the work runs.

    >>> # skipped: needs a running Dask cluster
    >>> describe_cluster(Client("tcp://10.0.0.5:8786"))           # doctest: +SKIP
    '8 workers, 64 threads (scheduler tcp://10.0.0.5:8786)'
    """
    threads = client.nthreads()
    n, t = len(threads), sum(threads.values())
    return (f"{n} worker{'s' if n != 1 else ''}, {t} thread{'s' if t != 1 else ''} "
            f"(scheduler {client.scheduler.address})")


def submit_placed(client, workers: Sequence[str], index: int, func: Callable, *args):
    """Submit ``func(*args)`` for partition ``index``, preferring worker ``index mod len(workers)``.

    Each pass over the partitions places partition ``i`` on the same worker, so a token cache on
    that worker's local disk is found by the next pass; the placement is a preference only
    (``allow_other_workers``): a worker that leaves, or one that is busy while another idles,
    hands the task on. Tasks are never deduplicated by value (``pure=False``): a file read again
    is read again.
    """
    if not workers:
        return client.submit(func, *args, pure=False)
    return client.submit(func, *args, workers=[workers[index % len(workers)]], allow_other_workers=True,
                         pure=False)


def wait_all(futures: list, description: str, progress: bool | None, unit: str = "partitions") -> None:
    """Wait for ``futures``, with a progress bar of how many are done (see :mod:`wordvec._progress`).

    Errors are not raised here: ``client.gather`` or ``future.result()`` raises a failed task's
    own exception (a ValueError naming the file and line, ...).
    """
    from wordvec._progress import ProgressBar, show_progress

    if not show_progress(progress) or not futures:
        return
    as_completed = require_distributed().as_completed
    with ProgressBar(len(futures), description, enabled=True, unit=unit) as bar:
        for done, _ in enumerate(as_completed(futures), 1):
            bar.update(done)

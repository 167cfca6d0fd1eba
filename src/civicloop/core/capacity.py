"""A cap on how many of a web process's threads one kind of heavy request may hold (bulk intake).

gunicorn runs each process with a fixed number of threads. Requests that each take seconds (a batch of cases
written one transaction at a time) can hold all of them, and then every page waits for a thread — a
person's inbox took seconds during a bulk intake on SQLite. A `Gate` lets at most `slots` such requests run at
once in the process and at most `queue` more wait for a slot, each for at most `wait` seconds; any other is
refused at once with `Busy` (the API answers 429 with Retry-After: the sender tries again later). So the heavy
kind never holds more than `slots + queue` threads, and the rest stay free for people.

Sized from the process's thread count: `civicloop serve` passes its `--threads` as CIVICLOOP_WEB_THREADS.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Busy(Exception):
    """No slot: every slot is taken and the queue is full, or the wait ran out. Nothing was done."""

    def __init__(self, retry_after: int):
        super().__init__(f"busy, retry after {retry_after} s")
        self.retry_after = retry_after


class Gate:
    def __init__(self, *, slots: int, queue: int, wait: float, retry_after: float = 2):
        if slots < 1 or queue < 0 or wait < 0:
            raise ValueError("a gate needs at least one slot, and no negative queue or wait")
        self.slots, self.queue, self.wait = slots, queue, wait
        self.retry_after = max(1, math.ceil(retry_after))  # what a refused sender is told to wait (whole seconds)
        self._running = threading.BoundedSemaphore(slots)
        self._admitted = threading.BoundedSemaphore(slots + queue)  # running or waiting: the threads held

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Run the body in a slot, or raise `Busy` (queue full, or no slot within `wait` seconds)."""
        if not self._admitted.acquire(blocking=False):
            raise Busy(self.retry_after)
        try:
            if not self._running.acquire(timeout=self.wait):
                raise Busy(self.retry_after)
            try:
                yield
            finally:
                self._running.release()
        finally:
            self._admitted.release()


def gate_from_environment(prefix: str, *, share_of_threads: int = 4, wait: float = 5.0,
                          retry_after: float = 2.0) -> Gate:
    """A gate sized by `<prefix>_SLOTS`, `<prefix>_QUEUE`, `<prefix>_WAIT` and `<prefix>_RETRY_AFTER` (seconds),
    else from the process's threads (CIVICLOOP_WEB_THREADS, as `civicloop serve` runs gunicorn): one slot per
    `share_of_threads` threads and as many waiting, so the heavy kind holds at most half the threads (serve's
    default: one of four runs, one waits, two stay free)."""
    env = os.environ
    threads = int(env.get("CIVICLOOP_WEB_THREADS") or 4)
    slots = int(env.get(f"{prefix}_SLOTS") or max(1, threads // share_of_threads))
    queue = int(env.get(f"{prefix}_QUEUE") or slots)
    return Gate(slots=slots, queue=queue, wait=float(env.get(f"{prefix}_WAIT") or wait),
                retry_after=float(env.get(f"{prefix}_RETRY_AFTER") or retry_after))

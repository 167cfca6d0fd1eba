"""The stop flag of the long-running commands (`serve`, `scheduler`): SIGTERM or SIGINT sets it; the command's
loop notices it, finishes what it is doing and cleans up."""

from __future__ import annotations

import signal
import time


class StopFlag:
    def __init__(self) -> None:
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)

    def _stop(self, *_) -> None:
        self.stopping = True

    def wait(self, seconds: float, step: float = 0.3) -> bool:
        """Sleep up to `seconds`, waking early when stopped; True if stopped."""
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(step, max(0.0, end - time.monotonic())))
        return self.stopping

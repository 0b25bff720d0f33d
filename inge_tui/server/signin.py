"""Failed sign-ins, limited per client address (issue 15, item 3).

A request with a token the service does not know counts as a failed sign-in of its client
address (behind a reverse proxy: the address uvicorn takes from `X-Forwarded-For` of a trusted
proxy). After `limit` failures within `window` seconds, every request of that address is
answered 429 with `Retry-After` until the oldest failure is older than the window; the token
is not even looked up, so guessing gets no further. A request without a token does not count
(a browser or a probe that forgot it), and a good token never resets the count.

Per service process: N workers or N instances allow N × `limit` in the window (documented in
docs/reliability.md). The table keeps at most `MAX_ADDRESSES` addresses, dropping the stalest.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

MAX_ADDRESSES = 10_000


class SignInGuard:
    """Counts failed sign-ins per address in a sliding window; thread-safe."""

    def __init__(
        self, limit: int = 30, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, address: str) -> int | None:
        """Seconds until `address` may try again, or None while it is below the limit."""
        with self._lock:
            now = self.clock()
            failures = self._recent(address, now)
            if failures is None or len(failures) < self.limit:
                return None
            return max(1, math.ceil(failures[0] + self.window - now))

    def failed(self, address: str) -> None:
        with self._lock:
            now = self.clock()
            failures = self._recent(address, now)
            if failures is None:
                if len(self._failures) >= MAX_ADDRESSES:
                    stalest = min(self._failures, key=lambda a: self._failures[a][-1])
                    del self._failures[stalest]
                failures = self._failures[address] = deque()
            failures.append(now)
            while len(failures) > self.limit:  # only the last `limit` matter
                failures.popleft()

    def _recent(self, address: str, now: float) -> deque[float] | None:
        failures = self._failures.get(address)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[address]
            return None
        return failures

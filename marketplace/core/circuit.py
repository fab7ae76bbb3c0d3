"""A circuit breaker for a helper service the site can do without for a while (Redis, for the cache and the
live pushes).

After a failure the breaker is open for `retry_seconds`: callers skip the service at once instead of each
waiting for a connection that will not come. Once that time has passed, the next call tries again; a success
closes the breaker, a failure opens it for another period. The first failure after a success is logged as a
warning and the recovery as information, so an outage is two lines in the log and not one per request.

Per process and thread-safe; two threads may both try the service when the period ends, which is harmless.
"""

import logging
import threading
import time

logger = logging.getLogger(__name__)


class CircuitBreaker:
    def __init__(self, name: str, *, retry_seconds: float):
        self.name = name
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._open_until = 0.0
        self._failing = False
        self.last_error = ""

    @property
    def is_open(self) -> bool:
        """Skip the service: it failed less than `retry_seconds` ago."""
        return time.monotonic() < self._open_until

    @property
    def failing(self) -> bool:
        """The service's last answer was a failure (the breaker may already allow a retry)."""
        return self._failing

    def failed(self, error: BaseException) -> None:
        with self._lock:
            first = not self._failing
            self._failing = True
            self._open_until = time.monotonic() + self.retry_seconds
            self.last_error = type(error).__name__
        if first:
            logger.warning(
                "%s is unreachable (%s: %s); going on without it, trying again every %.0f s",
                self.name,
                type(error).__name__,
                error,
                self.retry_seconds,
            )

    def succeeded(self) -> None:
        if not self._failing:
            return
        with self._lock:
            recovered = self._failing
            self._failing = False
            self._open_until = 0.0
            self.last_error = ""
        if recovered:
            logger.info("%s is reachable again", self.name)

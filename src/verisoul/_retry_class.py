"""The retry class of an operation.

Apart from the retry logic, so the endpoint table (and the CLI's ``--help``) can name it
without loading httpx.
"""

from __future__ import annotations

import enum

__all__ = ["RetryClass"]


class RetryClass(enum.Enum):
    """How safe an endpoint is to send twice.

    Attributes:
        IDEMPOTENT: Reads and requests whose repetition is harmless: retried after
            connection errors, timeouts, 408, 409, 429 and 5xx.
        UNSAFE_WRITE: Writes Verisoul applies once (no idempotency key exists): retried
            only when the request provably never reached the server (connect failure,
            pool timeout) or was refused unprocessed (429). Otherwise the error is raised
            with ``outcome_unknown=True``.
    """

    IDEMPOTENT = "idempotent"
    UNSAFE_WRITE = "unsafe_write"

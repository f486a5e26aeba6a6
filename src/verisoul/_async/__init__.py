"""The clients: configuration, the send/retry loop and the endpoint methods.

(AsyncVerisoul only) This is the hand-written source: ``scripts/unasync.py`` generates
    the blocking twin in ``verisoul._sync`` from it.
"""

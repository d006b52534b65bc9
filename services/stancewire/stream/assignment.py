"""The partitions assigned to this worker, shared between Faust's event loop and other threads.

The Faust consumer's rebalance hooks write it (:meth:`PartitionAssignment.assign` with the
whole new assignment, :meth:`PartitionAssignment.revoke` with what was taken away); the
consumer-lag collector thread reads it, so that each replica reports lag only for the
partitions it owns and the sum over replicas is the group's lag.

Listeners (:meth:`PartitionAssignment.on_revoke`) run under the same lock as every change, so
that a reader which also holds it (:meth:`PartitionAssignment.locked`) never acts on a
partition that has just been revoked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import NamedTuple


class TopicPartition(NamedTuple):
    """A partition of a topic (kafka-python's and Faust's own types stay at the edges)."""

    topic: str
    partition: int


RevokeListener = Callable[[frozenset[TopicPartition]], None]


class PartitionAssignment:
    """A thread-safe set of assigned partitions; empty until the first assignment."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._partitions: frozenset[TopicPartition] = frozenset()
        self._listeners: list[RevokeListener] = []

    def assign(self, partitions: Iterable[tuple[str, int]]) -> None:
        """The whole new assignment (it replaces the previous one, like a Kafka rebalance)."""
        new = frozenset(TopicPartition(topic, number) for topic, number in partitions)
        with self._lock:
            lost = self._partitions - new
            self._partitions = new
            self._notify(lost)

    def revoke(self, partitions: Iterable[tuple[str, int]]) -> None:
        """Partitions taken away from this worker (before the next assignment)."""
        lost = frozenset(TopicPartition(topic, number) for topic, number in partitions)
        with self._lock:
            lost &= self._partitions
            self._partitions -= lost
            self._notify(lost)

    def current(self) -> frozenset[TopicPartition]:
        """The partitions assigned now."""
        with self._lock:
            return self._partitions

    @contextmanager
    def locked(self) -> Iterator[frozenset[TopicPartition]]:
        """The partitions assigned now, kept so until the block ends (no change meanwhile)."""
        with self._lock:
            yield self._partitions

    def on_revoke(self, listener: RevokeListener) -> None:
        """Call ``listener(lost)`` under the lock whenever partitions are revoked or not
        assigned again (from the thread that made the change)."""
        with self._lock:
            self._listeners.append(listener)

    def _notify(self, lost: frozenset[TopicPartition]) -> None:
        if lost:
            for listener in self._listeners:
                listener(lost)


__all__ = ["PartitionAssignment", "RevokeListener", "TopicPartition"]

"""How long a search may run: time, nodes or deterministic work, and the default budget."""

from __future__ import annotations

import time

CHECK_EVERY = 64
"""The clock is read every this many nodes or checked single additions."""
CHECKS_PER_NODE = 8
"""A single addition checked costs about an eighth of a node (measured on the shipped issues)."""
DEFAULT_WORK_LIMIT = 250_000
"""The work budget of a search given no time, node or work limit: no search anywhere is unbounded.
About a minute on one core; every search the shipped data runs today needs well under a tenth of it."""
ROBUSTNESS_DRAW_WORK = 8000
"""Per robustness draw: nodes, single additions checked at an eighth each, evaluations at one;
deterministic, so the output is the same on every machine. 2,000 until the acceptance model: with it,
1 of 12 ai-governance draws (seed 5) stopped at 2,000 and at 4,000 with a gap of 0.12 and certified at
8,000 (12 draws in 1.5 s either way, measured)."""


class Budget:
    """A search's limits and the work it has done: nodes, single additions checked, sets evaluated."""

    def __init__(self, time_limit: float | None, node_limit: int | None, work_limit: int | None) -> None:
        if time_limit is None and node_limit is None and work_limit is None:
            work_limit = DEFAULT_WORK_LIMIT
        self.deadline = None if time_limit is None else time.perf_counter() + time_limit
        self.node_limit = node_limit
        self.work_limit = work_limit
        """Stop once the work done exceeds this: nodes, single additions checked (CHECKS_PER_NODE to a
        node) and sets fully evaluated (one each); deterministic, like node_limit."""

    def out_of_nodes(self, nodes: int) -> bool:
        """Past the node limit."""
        return self.node_limit is not None and nodes > self.node_limit

    def out_of_work(self, nodes: int, checked: int, evaluated: int) -> bool:
        """Past the work limit."""
        if self.work_limit is None:
            return False
        return nodes + checked // CHECKS_PER_NODE + evaluated > self.work_limit

    def past_deadline(self) -> bool:
        """Past the time limit."""
        return self.deadline is not None and time.perf_counter() > self.deadline

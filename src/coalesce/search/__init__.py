"""Exact top-K search by branch and bound, generic over the criteria's bounds.

Split by job: `ranking` (ranked sets, the top K, ties), `bounds` (gain tables and the bound of a node),
`budget` (time, nodes, deterministic work) and `branch` (the enumeration, the seed and `top_k`).

Candidates are ordered by their combined optimistic gain. A depth-first search adds them one at a time:
at each node it checks every single addition in one pass, then enumerates the sets with two or more
additions by their first one. The bound is, for every reachable final size n,

    sum over criteria of  weight * min(1, base(S, n) + the largest (n - |S|) gains left in the suffix)

and a branch is cut when its bound falls below the K-th best score found. The properties each criterion
promises (criteria/base.py) makes the cut safe, so when the search finishes the top K is certified.
With a time limit the search may stop early; it then reports the best found and the largest bound still
open, whose difference from the K-th best is the optimality gap.
"""

from __future__ import annotations

from coalesce.search.bounds import own_bound
from coalesce.search.branch import EPSILON, top_k
from coalesce.search.budget import DEFAULT_WORK_LIMIT
from coalesce.search.ranking import Found, SearchOutcome

__all__ = ["DEFAULT_WORK_LIMIT", "EPSILON", "Found", "SearchOutcome", "own_bound", "top_k"]

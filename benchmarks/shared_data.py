"""Where the shared public datasets are, from the main checkout or from a worktree.

Why: benchmarks run from /work/main and from worktrees under /work/wt/<name>, where
``parents[2] / "shared"`` points at a folder that does not exist, so a benchmark silently
skipped (classifier_quality) or trained on the seed corpus instead of ibrohim2019
(classifier_speed). The first candidate that exists wins.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve()
_CANDIDATES = (_HERE.parents[2] / "shared" / "datasets", _HERE.parents[3] / "shared" / "datasets",
               Path("/work/shared/datasets"))
SHARED: Path = next((p for p in _CANDIDATES if p.is_dir()), _CANDIDATES[0])

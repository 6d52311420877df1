"""Where the project's shipped data lives."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
SHARED_DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"

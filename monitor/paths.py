"""Where the project's shipped data lives."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEMO_DIR = DATA_DIR / "demo"
SHARED_DATASETS = PROJECT_ROOT.parent / "shared" / "datasets"
STREAMLIT_CONFIG = PROJECT_ROOT / ".streamlit" / "config.toml"


def streamlit_flags() -> list[str]:
    """The dashboard's server settings (.streamlit/config.toml) as `streamlit run` flags.

    Streamlit reads config.toml only from the working folder; `netra dashboard` may start
    anywhere, and without these the Deploy button, the tables' unaudited CSV download and the
    200 MB upload limit come back.
    """
    import tomllib

    data = tomllib.loads(STREAMLIT_CONFIG.read_text(encoding="utf-8"))
    flags = []
    for section, options in data.items():
        for name, value in options.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags += [f"--{section}.{name}", text]
    return flags

"""Settings, declared once: name, default, help, and whether the value is a secret.

Values come, lowest priority first, from the defaults below, a ``netra.toml`` file (in the
working directory, or the path in ``NETRA_CONFIG``), ``NETRA_<NAME>`` environment variables,
and explicit overrides (CLI options such as ``--db``). Secrets are redacted whenever settings
are shown, so a screenshot of ``netra config`` never leaks a token.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping


@dataclass(frozen=True)
class Setting:
    """One declared setting."""

    name: str
    default: Any
    help: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "netra.db", "Path of the SQLite database file."),
    Setting("data_dir", ".netra", "Folder for models, media and the instance key."),
    Setting("x_bearer_token", "", "Bearer token for the X API v2.", secret=True),
    Setting("youtube_api_key", "", "API key for the YouTube Data API v3.", secret=True),
    Setting("retention_days", 90, "Days to keep posts that never raised a flag."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class ConfigError(ValueError):
    """A configuration file or value that cannot be used."""


def _coerce(setting: Setting, value: Any) -> Any:
    """Convert a string from the environment to the setting's type."""
    if isinstance(setting.default, int) and not isinstance(value, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"Setting {setting.name!r} must be a whole number, got {value!r}.")
    return value


def load(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_path: str | Path | None = None,
) -> dict[str, Any]:
    """Return the effective settings as a plain dict."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}

    path = Path(config_path or env.get("NETRA_CONFIG", "netra.toml"))
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}).") from exc
        section = data.get("netra", data)
        for key, value in section.items():
            if key not in _BY_NAME:
                raise ConfigError(f"{path}: unknown setting {key!r}.")
            values[key] = _coerce(_BY_NAME[key], value)

    for setting in SETTINGS:
        env_value = env.get(f"NETRA_{setting.name.upper()}")
        if env_value not in (None, ""):
            values[setting.name] = _coerce(setting, env_value)

    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key not in _BY_NAME:
            raise ConfigError(f"Unknown setting {key!r}.")
        values[key] = _coerce(_BY_NAME[key], value)
    return values


def redacted(values: Mapping[str, Any]) -> dict[str, Any]:
    """The settings with every secret replaced, for display."""
    return {
        k: ("***" if _BY_NAME.get(k) and _BY_NAME[k].secret and v else v) for k, v in values.items()
    }

"""The only package that speaks SQL. Everything else calls these functions."""

from .db import (EngineInfo, Store, StoreError, connect, engine_info, is_postgres_url, latest_version, migrate,
                 migrations, utcnow)
from .posts import PostRecord, UpsertResult, canonical_json, sha256_text

__all__ = [
    "EngineInfo", "PostRecord", "Store", "StoreError", "UpsertResult", "canonical_json", "connect", "engine_info",
    "is_postgres_url", "latest_version", "migrate", "migrations", "sha256_text", "utcnow",
]

"""The registry of "who": elections, candidates, parties, campaign accounts and terms."""

from __future__ import annotations

import json
from typing import Any

from .db import Store


def upsert_registry(store: Store, data: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Write a validated registry (see monitor.people.elections) in one transaction, by natural keys."""
    counts = {k: 0 for k in ("elections", "candidates", "parties", "campaign_accounts", "hashtags", "slogans")}
    with store.write() as conn:
        for e in data.get("elections", []):
            conn.execute(
                """INSERT INTO elections (key, type, name, region, year, campaign_start, campaign_end,
                   quiet_start, quiet_end, voting_day)
                   VALUES (:key, :type, :name, :region, :year, :campaign_start, :campaign_end,
                   :quiet_start, :quiet_end, :voting_day)
                   ON CONFLICT(key) DO UPDATE SET type = excluded.type, name = excluded.name,
                   region = excluded.region, year = excluded.year,
                   campaign_start = excluded.campaign_start, campaign_end = excluded.campaign_end,
                   quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end,
                   voting_day = excluded.voting_day""",
                e,
            )
            counts["elections"] += 1
        ids = {r["key"]: r["id"] for r in conn.execute("SELECT id, key FROM elections")}

        def election_id(key: str | None) -> int | None:
            if key is None:
                return None
            if key not in ids:
                raise ValueError(f"pemilu {key!r} belum terdaftar")
            return ids[key]

        for c in data.get("candidates", []):
            conn.execute(
                """INSERT INTO candidates (election_id, ballot_number, name, running_mate, role,
                   pair_name, nicknames_json, spouse, status, cues_json)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(election_id, name) DO UPDATE SET ballot_number = excluded.ballot_number,
                   running_mate = excluded.running_mate, role = excluded.role,
                   pair_name = excluded.pair_name, nicknames_json = excluded.nicknames_json,
                   spouse = excluded.spouse, status = excluded.status, cues_json = excluded.cues_json""",
                (election_id(c["election"]), c.get("ballot_number"), c["name"], c.get("running_mate"),
                 c.get("role", "pair"), c.get("pair_name"), json.dumps(c.get("nicknames", []), ensure_ascii=False),
                 c.get("spouse"), c.get("status", "candidate"), json.dumps(c.get("cues", []), ensure_ascii=False)),
            )
            counts["candidates"] += 1
        for p in data.get("parties", []):
            conn.execute(
                """INSERT INTO parties (number, name, abbreviation, nicknames_json) VALUES (?, ?, ?, ?)
                   ON CONFLICT(abbreviation) DO UPDATE SET number = excluded.number,
                   name = excluded.name, nicknames_json = excluded.nicknames_json""",
                (p.get("number"), p["name"], p["abbreviation"], json.dumps(p.get("nicknames", []), ensure_ascii=False)),
            )
            counts["parties"] += 1
        for a in data.get("campaign_accounts", []):
            conn.execute(
                """INSERT INTO campaign_accounts (platform, handle, owner_type, owner, election_id)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT(platform, handle) DO UPDATE SET owner_type = excluded.owner_type,
                   owner = excluded.owner, election_id = excluded.election_id, active = 1""",
                (a["platform"], a["handle"], a["owner_type"], a["owner"], election_id(a.get("election"))),
            )
            counts["campaign_accounts"] += 1
        for kind, section in (("hashtag", "hashtags"), ("slogan", "slogans")):
            for t in data.get(section, []):
                conn.execute(
                    """INSERT INTO campaign_terms (kind, text, election_id, owner) VALUES (?, ?, ?, ?)
                       ON CONFLICT(kind, text) DO UPDATE SET election_id = excluded.election_id,
                       owner = excluded.owner""",
                    (kind, t["text"], election_id(t.get("election")), t.get("owner")),
                )
                counts[section] += 1
    return counts


def registry_summary(store: Store) -> list[dict]:
    """Each election with its candidate and campaign-account counts."""
    rows = store.query(
        """SELECT e.key, e.type, e.name, e.year, e.voting_day,
                  (SELECT COUNT(*) FROM candidates c WHERE c.election_id = e.id) AS candidates,
                  (SELECT COUNT(*) FROM campaign_accounts a WHERE a.election_id = e.id) AS campaign_accounts,
                  (SELECT COUNT(*) FROM campaign_terms t WHERE t.election_id = e.id) AS terms
           FROM elections e ORDER BY e.year DESC, e.key"""
    )
    return [dict(r) for r in rows]


def list_candidates(store: Store) -> list[dict]:
    rows = store.query(
        """SELECT e.key AS election, c.ballot_number, c.name, c.running_mate, c.pair_name, c.role,
                  c.status, c.nicknames_json FROM candidates c JOIN elections e ON e.id = c.election_id
           ORDER BY e.year DESC, e.key, c.ballot_number"""
    )
    return [dict(r) for r in rows]


def count_parties(store: Store) -> int:
    return int(store.one("SELECT COUNT(*) FROM parties")[0])


def registry_records(store: Store) -> dict[str, list[dict]]:
    """The whole registry in the shape monitor.people.elections imports, so an edited copy round-trips."""
    def listed(sql: str) -> list[dict]:
        return [dict(r) for r in store.query(sql)]

    records = {
        "elections": listed("""SELECT key, type, name, region, year, campaign_start, campaign_end, quiet_start,
                               quiet_end, voting_day FROM elections ORDER BY year DESC, key"""),
        "candidates": listed("""SELECT e.key AS election, c.ballot_number, c.name, c.running_mate, c.role, c.pair_name,
                                c.nicknames_json, c.spouse, c.status, c.cues_json FROM candidates c
                                JOIN elections e ON e.id = c.election_id ORDER BY e.key, c.ballot_number, c.name"""),
        "parties": listed("SELECT number, name, abbreviation, nicknames_json FROM parties ORDER BY number, name"),
        "campaign_accounts": listed("""SELECT a.platform, a.handle, a.owner_type, a.owner, e.key AS election, a.active
                                       FROM campaign_accounts a LEFT JOIN elections e ON e.id = a.election_id
                                       ORDER BY a.platform, a.handle"""),
        "hashtags": listed("""SELECT t.text AS tag, e.key AS election, t.owner FROM campaign_terms t
                              LEFT JOIN elections e ON e.id = t.election_id WHERE t.kind = 'hashtag' ORDER BY t.text"""),
        "slogans": listed("""SELECT t.text, e.key AS election, t.owner FROM campaign_terms t
                             LEFT JOIN elections e ON e.id = t.election_id WHERE t.kind = 'slogan' ORDER BY t.text"""),
    }
    for section in ("candidates", "parties"):
        for row in records[section]:
            row["nicknames"] = json.loads(row.pop("nicknames_json") or "[]")
    for row in records["candidates"]:
        row["cues"] = json.loads(row.pop("cues_json") or "[]")
    return records


# --- removal (see monitor.elections.remove_registry_rows for the rules) ----------------------------

_FIND = {
    "elections": "SELECT e.* FROM elections e WHERE e.key = ?",
    "candidates": """SELECT e.key AS election, c.* FROM candidates c JOIN elections e ON e.id = c.election_id
                     WHERE e.key = ? AND c.name = ?""",
    "parties": "SELECT p.* FROM parties p WHERE p.abbreviation = ?",
    "campaign_accounts": """SELECT a.*, e.key AS election FROM campaign_accounts a
                            LEFT JOIN elections e ON e.id = a.election_id WHERE a.platform = ? AND a.handle = ?""",
    "hashtags": """SELECT t.*, e.key AS election FROM campaign_terms t LEFT JOIN elections e ON e.id = t.election_id
                   WHERE t.kind = 'hashtag' AND t.text = ?""",
    "slogans": """SELECT t.*, e.key AS election FROM campaign_terms t LEFT JOIN elections e ON e.id = t.election_id
                  WHERE t.kind = 'slogan' AND t.text = ?""",
}
_TABLE = {"elections": "elections", "candidates": "candidates", "parties": "parties",
          "hashtags": "campaign_terms", "slogans": "campaign_terms"}


def find_registry_row(store: Store, section: str, key: tuple[str, ...]) -> dict | None:
    """The stored row a natural key names, with every column (what an audit entry keeps)."""
    row = store.one(_FIND[section], tuple(key))
    return dict(row) if row is not None else None


def election_dependents(store: Store, election_id: int) -> dict[str, int]:
    """What still belongs to an election: candidates, campaign accounts (inactive ones too), terms."""
    row = store.one(
        """SELECT (SELECT COUNT(*) FROM candidates WHERE election_id = :id) AS candidates,
                  (SELECT COUNT(*) FROM campaign_accounts WHERE election_id = :id) AS campaign_accounts,
                  (SELECT COUNT(*) FROM campaign_accounts WHERE election_id = :id AND NOT active)
                      AS inactive_campaign_accounts,
                  (SELECT COUNT(*) FROM campaign_terms WHERE election_id = :id) AS terms""",
        {"id": election_id})
    return dict(row)


def delete_registry_row(store: Store, section: str, row_id: int) -> None:
    """Delete one election, candidate, party or campaign term by id (never a campaign account)."""
    with store.write() as conn:
        conn.execute(f"DELETE FROM {_TABLE[section]} WHERE id = ?", (row_id,))


def deactivate_campaign_account(store: Store, account_id: int) -> None:
    """Campaign accounts are never deleted: interactions, flags and errors point at them."""
    with store.write() as conn:
        conn.execute("UPDATE campaign_accounts SET active = 0 WHERE id = ?", (account_id,))

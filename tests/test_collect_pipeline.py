"""The collection pipeline on a real SQLite file against the fake APIs: isolation of failures,
raw bodies of malformed payloads, account status, edits/deletions, interactions and their
flags, health and alerts, classification with hooks, and the CLI."""

from __future__ import annotations

import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from fakeplatforms import (
    BskyAccount, FakePlatforms, MastoAccount, XUser, bsky_post, iso, masto_status, populate, register,
    register_campaign, x_tweet,
)
from monitor import pipeline
from monitor.collect.health import account_health, platform_alerts
from monitor.store import collection, posts as post_rows


@pytest.fixture
def fake():
    with FakePlatforms() as server:
        yield server


def run(store, fake, **kw):
    settings = fake.settings(collect_page_size=kw.pop("page_size", 20), **kw.pop("settings", {}))
    return pipeline.run_collection(store, settings, classify=kw.pop("classify", False), **kw)


def test_one_malformed_account_does_not_stop_the_others(store, fake):
    handles = populate(fake, bsky_accounts=2, masto_accounts=1, x_users=1, posts=30)
    ids = register(store, handles)
    bad = fake.bsky[handles["bluesky"][1]]
    body = b'{"feed": [{"post": {"uri": "at://trunc'
    fake.fail(f"actor={bad.did}", 200, body)  # truncated JSON on this account's first feed page
    summary = run(store, fake)
    assert summary.errors == 1 and summary.new_posts == 90
    errors = collection.errors(store)
    assert errors[0]["kind"] == "malformed" and errors[0]["raw_body"] == body
    assert errors[0]["account_id"] == ids[("bluesky", bad.handle)]
    health = {r["handle"]: r for r in account_health(store)}
    assert "bukan JSON" in health[bad.handle]["last_error"] and health[bad.handle]["last_success_at"] is None
    assert health[handles["x"][0]]["items_7d"] == 30 and health[handles["x"][0]]["status"] == "ok"
    # Next run: the fault is gone, the account catches up, nothing else is re-stored.
    again = run(store, fake)
    assert again.errors == 0 and again.new_posts == 30 and post_rows.count_posts(store) == 120


def test_unavailable_accounts_are_marked_with_reason(store, fake):
    fake.bsky["gone.bsky.social"] = BskyAccount("did:plc:" + "g" * 24, "gone.bsky.social", status="takedown")
    fake.masto["susp"] = MastoAccount("5", "susp", suspended=True)
    fake.x["locked"] = XUser("6", "locked", status="protected")
    register(store, {"bluesky": ["gone.bsky.social"], "mastodon": ["susp@mastodon.example"], "x": ["locked"]})
    summary = run(store, fake)
    assert summary.unavailable == 3 and summary.errors == 0
    status = {r["handle"]: (r["status"], r["status_reason"]) for r in account_health(store)}
    assert status["gone.bsky.social"] == ("suspended", "Account has been suspended")
    assert status["susp@mastodon.example"][0] == "suspended"
    assert status["locked"] == ("private", "akun terkunci (protected)")


def test_edits_become_versions_and_deletions_are_marked(store, fake):
    now = time.time()
    handles = populate(fake, bsky_accounts=1, masto_accounts=1, x_users=0, posts=5, base_time=now - 3600)
    register(store, handles)
    run(store, fake)
    acc = fake.bsky[handles["bluesky"][0]]
    edited_uri, deleted_uri = acc.feed[1]["post"]["uri"], acc.feed[2]["post"]["uri"]
    acc.feed[1]["post"]["record"]["text"] = "teks baru setelah diedit"
    del acc.feed[2]
    masto = fake.masto["asn00"]
    masto.statuses[0]["content"], masto.statuses[0]["edited_at"] = "<p>diedit di Mastodon</p>", iso(now)
    summary = run(store, fake)
    assert summary.edited_posts == 2 and summary.deleted_posts == 1
    row = store.one("SELECT id, version, deleted_at FROM posts WHERE post_id = ?", (edited_uri,))
    versions = post_rows.post_versions(store, row["id"])
    assert row["version"] == 2 and [v["text"] for v in versions][-1] == "teks baru setelah diedit"
    assert versions[0]["text"] != versions[1]["text"] and versions[0]["raw_sha256"] != versions[1]["raw_sha256"]
    gone = store.one("SELECT deleted_at, raw_json FROM posts WHERE post_id = ?", (deleted_uri,))
    assert gone["deleted_at"] and json.loads(gone["raw_json"])["post"]["uri"] == deleted_uri  # evidence stays


def _campaign_bsky(fake, asn_did: str, asn_handle: str) -> str:
    did, handle = "did:plc:" + "c" * 24, "paslon2.bsky.social"
    camp = BskyAccount(did, handle)
    post = bsky_post(did, handle, "3camp1", "Ayo coblos nomor 2!", iso(time.time() - 60))
    camp.feed = [post]
    fake.bsky[handle] = camp
    uri = post["post"]["uri"]
    stranger = {"did": "did:plc:" + "s" * 24, "handle": "warga-biasa.bsky.social", "displayName": "Warga Biasa"}
    asn = {"did": asn_did, "handle": asn_handle, "displayName": "Pegawai"}
    fake.bsky_likes[uri] = [{"actor": stranger, "createdAt": iso(time.time()), "indexedAt": iso(time.time())},
                            {"actor": asn, "createdAt": iso(time.time()), "indexedAt": iso(time.time())}]
    fake.bsky_reposted_by[uri] = [stranger, asn]
    fake.bsky_replies[uri] = [{"$type": "app.bsky.feed.defs#threadViewPost",
                               "post": {"uri": f"at://{asn_did}/app.bsky.feed.post/3rep", "author": asn,
                                        "record": {"text": "Setuju pak!"}}},
                              {"post": {"uri": "at://x/app.bsky.feed.post/3z", "author": stranger, "record": {"text": "hm"}}}]
    post["post"]["replyCount"] = 2
    camp.followers = [stranger] * 150 + [asn]  # the ASN follower is on the second page
    return handle


def test_bluesky_interactions_only_registered_asn_and_flags(store, fake):
    handles = populate(fake, bsky_accounts=1, masto_accounts=0, x_users=0, posts=3)
    asn = fake.bsky[handles["bluesky"][0]]
    register(store, handles)
    register_campaign(store, "bluesky", _campaign_bsky(fake, asn.did, asn.handle))
    summary = run(store, fake)
    assert summary.interactions == 4 and summary.flags == 4
    found = collection.list_interactions(store)
    assert sorted((i["kind"], i["proposed_code"]) for i in found) == [
        ("follow", "N4"), ("like", "N3"), ("reply", "N3"), ("repost", "N2")]
    assert {i["handle"] for i in found} == {asn.handle} and {i["unit"] for i in found} == {"Dinas Pendidikan"}
    assert all(i["flag_status"] == "open" for i in found)
    raw = " ".join(r[0] for r in store.query("SELECT raw_json FROM interactions"))
    assert "warga-biasa" not in raw and "s" * 24 not in raw  # other people are never stored
    flags = store.query("SELECT post_id, interaction_id, unit_id, category FROM flags")
    assert all(f["post_id"] is None and f["interaction_id"] and f["unit_id"] and f["category"] == "interaction"
               for f in flags)
    again = run(store, fake)  # seen-before interactions open nothing new
    assert again.interactions == 0 and again.flags == 0
    assert store.one("SELECT COUNT(*) FROM flags")[0] == 4


def test_mastodon_and_x_interactions(store, fake):
    handles = populate(fake, bsky_accounts=0, masto_accounts=1, x_users=1, posts=2)
    register(store, handles)
    asn_m = fake.masto["asn00"].entity()
    camp = MastoAccount("900", "paslon", instance="mastodon.example")
    camp.statuses = [masto_status("990", camp.entity(), "Pilih kami", iso(time.time()))]
    camp.statuses[0]["replies_count"] = 1
    camp.followers = [asn_m]
    fake.masto["paslon"] = camp
    stranger = {"id": "1", "username": "orang", "acct": "orang@lain.example", "url": "https://lain.example/@orang"}
    fake.masto_favourited["990"] = [stranger, asn_m]
    fake.masto_reblogged["990"] = [asn_m]
    fake.masto_replies["990"] = [masto_status("991", asn_m, "Mantap", iso(time.time()), reply_to="990")]
    xcamp = XUser("5000", "paslon_dua")
    xcamp.tweets = [x_tweet("7000", "5000", "Coblos nomor 2", iso(time.time()))]
    fake.x["paslon_dua"] = xcamp
    asn_x = fake.x["asn_00"]
    fake.x_retweeted_by["7000"] = [{"id": "42", "name": "Orang", "username": "orang"},
                                   {"id": asn_x.id, "name": "Pegawai", "username": asn_x.username}]
    register_campaign(store, "mastodon", "paslon@mastodon.example")
    register_campaign(store, "x", "paslon_dua")
    summary = run(store, fake)
    assert summary.errors == 0, summary.messages
    kinds = sorted((i["platform"], i["kind"]) for i in collection.list_interactions(store))
    assert kinds == [("mastodon", "follow"), ("mastodon", "like"), ("mastodon", "reply"), ("mastodon", "repost"),
                     ("x", "repost")]  # X followers need a higher tier (403): skipped, not an error
    assert "orang" not in " ".join(r[0] for r in store.query("SELECT raw_json FROM interactions"))


def test_interaction_scope_follows_unit(store, fake):
    handles = populate(fake, bsky_accounts=1, masto_accounts=0, x_users=0, posts=1)
    asn = fake.bsky[handles["bluesky"][0]]
    register(store, handles, unit="Dinas Kesehatan")
    register_campaign(store, "bluesky", _campaign_bsky(fake, asn.did, asn.handle))
    run(store, fake)
    other = store.one("SELECT id FROM units WHERE name = 'Dinas Kesehatan'")[0] + 1000
    assert collection.list_interactions(store, unit_ids={other}) == []
    assert len(collection.list_interactions(store, unit_ids={other - 1000})) == 4


def test_silence_alert_after_24_hours(store, fake):
    handles = populate(fake, bsky_accounts=1, masto_accounts=0, x_users=0, posts=10)
    register(store, handles)
    run(store, fake)
    later = datetime.now(timezone.utc) + timedelta(days=2)
    with store.write() as conn:  # the platform was collected recently but yielded nothing since
        conn.execute("UPDATE accounts SET last_collected_at = ?", (later.strftime("%Y-%m-%dT%H:%M:%SZ"),))
    alerts = platform_alerts(store, now=later)
    assert [a["platform"] for a in alerts] == ["bluesky"] and "24 jam" in alerts[0]["message"]
    assert platform_alerts(store) == []  # right after the run: posts arrived, no alert


def test_classification_and_hooks(store, fake):
    handles = populate(fake, bsky_accounts=1, masto_accounts=0, x_users=0, posts=16)
    register(store, handles)
    seen: list[list[int]] = []
    summary = run(store, fake, classify=True, hooks=[lambda st, ids: seen.append(ids)])
    assert summary.classified == 16 and seen and len(seen[0]) == 16
    assert store.one("SELECT COUNT(*) FROM classifications")[0] == 16
    assert summary.flags >= 1  # "Ayo coblos nomor 2 ..." and "Menangkan paslon nomor 1" are in the feed


def test_cli_collect_status_and_reclassify(db_path, fake, monkeypatch):
    from monitor.cli.main import app
    from monitor.store import connect

    handles = populate(fake, bsky_accounts=1, masto_accounts=0, x_users=0, posts=8)
    with connect(db_path) as store:
        register(store, handles)
    for key, value in {"BLUESKY_BASE_URL": fake.url, "MASTODON_BASE_URL": fake.url, "X_BASE_URL": fake.url}.items():
        monkeypatch.setenv(f"NETRA_{key}", value)
    monkeypatch.setenv("NETRA_CONFIG", str(db_path.parent / "none.toml"))
    monkeypatch.setenv("COLUMNS", "250")
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(db_path), "collect", "--once", "--platform", "bluesky", "--no-classify"])
    assert result.exit_code == 0, result.output
    assert "Ringkasan pengumpulan" in result.output and "Bluesky" in result.output
    result = runner.invoke(app, ["--db", str(db_path), "collect", "status"])
    assert result.exit_code == 0 and handles["bluesky"][0] in result.output and "Kesehatan kolektor" in result.output
    result = runner.invoke(app, ["--db", str(db_path), "reclassify"])
    assert result.exit_code == 0, result.output
    assert "8 kiriman dinilai ulang" in result.output
    result = runner.invoke(app, ["--db", str(db_path), "collect", "--every", "1s"])
    assert result.exit_code != 0 and "minimal 10 detik" in result.output


def test_status_is_checked_again_and_opt_out_later_is_honoured(store, fake):
    handles = populate(fake, bsky_accounts=2, masto_accounts=0, x_users=0, posts=4)
    first, second = (fake.bsky[h] for h in handles["bluesky"])
    first.status = "takedown"
    register(store, handles)
    run(store, fake)
    first.status = "ok"  # reinstated
    for item in second.feed:  # the user now asks not to be shown to logged-out viewers
        item["post"]["author"]["labels"] = [{"val": "!no-unauthenticated", "src": second.did}]
    second.feed.insert(0, bsky_post(second.did, second.handle, "3zz", "baru", iso(1_772_500_000),
                                    labels=[{"val": "!no-unauthenticated", "src": second.did}]))
    summary = run(store, fake)
    status = {r["handle"]: r["status"] for r in account_health(store)}
    assert status == {first.handle: "ok", second.handle: "opted_out"}
    assert summary.new_posts == 4  # the reinstated account's posts; nothing new from the opted-out one

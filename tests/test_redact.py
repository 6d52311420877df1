"""Every platform's credential is masked in stored URLs, errors and audit details (issue 15, 2)."""

from __future__ import annotations

import json

import pytest

from monitor.redact import redact, redact_value

YT_KEY = "AIzaSyD-abcdefghijklmnopqrstuvwxyz01234"
X_BEARER = "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F"
MASTODON = "Zw6mV3xq0a9T1bYkN4cR8sL2uE7hJ5pD"
BSKY_APP_PW = "abcd-efgh-ijkl-mnop"
TG_BOT = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw_"


@pytest.mark.parametrize("text, secret", [
    (f"https://www.googleapis.com/youtube/v3/search?part=snippet&key={YT_KEY}&channelId=UC1", YT_KEY),
    (f"HTTP 403 for url https://youtube.googleapis.com/youtube/v3/videos?id=1&key={YT_KEY}", YT_KEY),
    (f"quota exceeded ({YT_KEY})", YT_KEY),
    (f"headers: {{'Authorization': 'Bearer {X_BEARER}'}}", X_BEARER),
    (f"Authorization: Bearer {X_BEARER}", X_BEARER),
    (f"401 Unauthorized (Bearer {X_BEARER})", X_BEARER),
    (f"https://mastodon.social/api/v1/accounts/1/statuses?access_token={MASTODON}", MASTODON),
    (f"Authorization: Bearer {MASTODON}", MASTODON),
    (f'createSession body {{"identifier": "ani.bsky.social", "password": "{BSKY_APP_PW}"}}', BSKY_APP_PW),
    (f"login failed: password={BSKY_APP_PW}", BSKY_APP_PW),
    (f"https://api.telegram.org/bot{TG_BOT}/getUpdates", TG_BOT),
    (f"telegram error for token {TG_BOT}", TG_BOT),
    ("https://example.com/oauth?client_secret=s3cr3tvalue&x=1", "s3cr3tvalue"),
    ("https://ani:hunter2@example.com/feed.xml", "hunter2"),
    ("https://example.com/feed?token=abc123def", "abc123def"),
])
def test_each_platform_secret_is_masked(text, secret):
    cleaned = redact(text)
    assert secret not in cleaned and "***" in cleaned


def test_the_rest_stays_readable():
    url = f"https://www.googleapis.com/youtube/v3/search?part=snippet&key={YT_KEY}&channelId=UC1"
    assert redact(url) == "https://www.googleapis.com/youtube/v3/search?part=snippet&key=***&channelId=UC1"
    plain = "https://x.com/ani_guru/status/123?s=20 koneksi terputus"
    assert redact(plain) == plain
    assert redact(None) is None and redact("") == ""


def test_audit_details_are_redacted_by_key_and_by_content():
    details = {"url": f"https://t.me/bot{TG_BOT}/x", "password": "rahasia", "nested": [{"access_token": "abc"}],
               "count": 3, "key_name": "kolom"}
    cleaned = redact_value(details)
    dumped = json.dumps(cleaned)
    assert TG_BOT not in dumped and "rahasia" not in dumped and "abc" not in dumped
    assert cleaned["count"] == 3 and cleaned["key_name"] == "kolom"


# --- where it is applied: stored errors, account errors, audit entries, the purge migration ----

def test_stored_errors_and_audit_entries_carry_no_secret(store):
    from monitor.evidence import audit
    from monitor.store import collection

    url = f"https://www.googleapis.com/youtube/v3/search?part=snippet&key={YT_KEY}"
    collection.log_error(store, run_id=None, platform="youtube", kind="platform", url=url,
                         message=f"HTTP 403 for url {url}; Authorization: Bearer {X_BEARER}")
    audit.record(store, "sistem", "collect.error", url=url, password=BSKY_APP_PW)
    dumped = json.dumps([dict(r) for r in store.query("SELECT url, message FROM collect_errors")] +
                        [dict(r) for r in store.query("SELECT details_json FROM audit_log")])
    for secret in (YT_KEY, X_BEARER, BSKY_APP_PW):
        assert secret not in dumped
    assert "key=***" in dumped
    assert audit.verify(store).ok


def test_the_migration_purges_secrets_stored_before_it(tmp_path):
    from monitor.store.db import connect, migrate, migrations

    version = next(m.version for m in migrations() if m.name == "redact_secrets")
    with connect(tmp_path / "lama.db", migrate_to=version - 1) as old:
        with old.write() as conn:  # written the way the old code did, bypassing redact
            conn.execute("INSERT INTO collect_errors (platform, kind, message, url, created_at) VALUES (?,?,?,?,?)",
                         ("telegram", "platform", f"gagal: https://api.telegram.org/bot{TG_BOT}/getMe",
                          f"https://mastodon.social/api/v1/timelines/home?access_token={MASTODON}", "2026-01-01"))
        migrate(old)
        row = dict(old.one("SELECT url, message FROM collect_errors"))
    assert TG_BOT not in row["message"] and MASTODON not in row["url"]
    assert row["url"] == "https://mastodon.social/api/v1/timelines/home?access_token=***"

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
    help: str            # Bahasa Indonesia: `netra config` shows it to people
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "netra.db", "Berkas basis data SQLite, atau URL postgresql://pengguna@host:5432/nama untuk PostgreSQL."),
    Setting("data_dir", ".netra", "Folder model, media dan kunci instans."),
    Setting("x_bearer_token", "", "Token bearer untuk X API v2.", secret=True),
    Setting("youtube_api_key", "", "Kunci API untuk YouTube Data API v3.", secret=True),
    Setting("retention_days", 90, "Hari penyimpanan kiriman yang tidak pernah menimbulkan tanda."),
    Setting("capture_on_flag", 1, "1: tangkap layar kiriman yang baru ditandai di Chromium setelah tiap pengumpulan."),
    Setting("capture_limit", 50, "Paling banyak kiriman bertanda yang ditangkap layar per pengumpulan."),
    Setting("session_idle_minutes", 30, "Menit tanpa aktivitas halaman sebelum sesi dasbor berakhir (0: tidak pernah)."),
    Setting("trusted_proxy_header", "",
            "Header berisi alamat klien dari reverse proxy tepercaya (mis. X-Forwarded-For; kosong: mati)."),
    Setting("trusted_proxies", "127.0.0.1/32,::1/128", "Jaringan proxy yang header trusted_proxy_header-nya dipercaya."),
    Setting("capture_allow_networks", "",
            "Hanya untuk uji: jaringan (dipisah koma, mis. 127.0.0.1/32) yang boleh diambil tangkapan layar walau privat."),
    # Collectors (monitor.collect): base URLs, so an office can use a proxy and tests 127.0.0.1.
    Setting("bluesky_base_url", "https://public.api.bsky.app", "URL dasar Bluesky AppView (publik, tanpa login)."),
    Setting("mastodon_base_url", "https://{instance}",
            "URL dasar Mastodon; {instance} diganti server akun (pengguna@server)."),
    Setting("mastodon_token", "", "Token pengguna Mastodon (opsional) untuk server yang menolak akses API anonim.",
            secret=True),
    Setting("x_base_url", "https://api.x.com", "URL dasar X API v2."),
    Setting("x_monthly_post_reads", 2_000_000, "Jumlah kiriman X yang boleh dibaca per bulan kalender (0 = tanpa batas)."),
    Setting("youtube_base_url", "https://www.googleapis.com/youtube/v3", "URL dasar YouTube Data API v3."),
    Setting("youtube_feed_base_url", "https://www.youtube.com", "URL dasar umpan RSS YouTube (cadangan tanpa kunci)."),
    Setting("youtube_daily_quota", 10_000, "Unit kuota YouTube Data API per hari (0 = tanpa batas)."),
    Setting("telegram_base_url", "https://t.me", "URL dasar pratinjau web Telegram."),
    Setting("http_timeout", 20, "Detik sebelum satu permintaan HTTP ke platform dianggap habis waktu."),
    Setting("http_max_retries", 4, "Jumlah ulangan saat habis waktu, galat koneksi dan 5xx (dengan jeda bertambah)."),
    Setting("max_rate_wait", 900, "Tunggu terlama (detik) untuk pemulihan batas laju platform dalam satu pengumpulan."),
    Setting("collect_max_pages", 20, "Paling banyak halaman per akun per pengumpulan (membatasi pengambilan awal)."),
    Setting("collect_round_seconds", 900,
            "Panjang satu putaran pekerja pengumpul (detik): tiap akun dikumpulkan sekali per putaran."),
    Setting("collect_lease_seconds", 300,
            "Masa sewa akun bagi pekerja pengumpul (detik); sewa yang lewat kembali ke antrean (pekerja mati)."),
    Setting("collect_page_size", 100, "Butir yang diminta per halaman (dibatasi maksimum tiap platform)."),
    Setting("recheck_posts", 20, "Kiriman terbaru per akun yang diperiksa ulang tiap pengumpulan (suntingan, penghapusan)."),
    Setting("campaign_recent_posts", 20, "Kiriman terbaru per akun kampanye yang diperiksa (suka, bagikan ulang, balasan)."),
    Setting("campaign_follower_pages", 5, "Halaman pengikut yang dibaca per akun kampanye per pengumpulan."),
    Setting("bluesky_concurrency", 4, "Permintaan paralel ke Bluesky."),
    Setting("mastodon_concurrency", 2, "Permintaan paralel ke server Mastodon."),
    Setting("x_concurrency", 2, "Permintaan paralel ke X."),
    Setting("youtube_concurrency", 2, "Permintaan paralel ke YouTube."),
    Setting("telegram_concurrency", 1, "Permintaan paralel ke Telegram."),
    Setting("rss_concurrency", 4, "Permintaan paralel ke umpan RSS/Atom."),
    # Cases, deadlines and notifications (monitor.cases, monitor.cases.deadlines, monitor.cases.notify).
    Setting("agency_name", "BKPSDM", "Instansi pelapor yang tertulis pada laporan kasus."),
    Setting("timezone", "Asia/Jakarta", "Zona waktu (IANA) untuk menghitung tanggal tenggat."),
    Setting("office_tz", "WIB", "Zona waktu kantor untuk waktu yang dibaca orang: WIB, WITA, WIT atau nama IANA."),
    Setting("report_deadline_days", 7, "Hari untuk melapor ke Bawaslu setelah pelanggaran diketahui."),
    Setting("report_deadline_working", 0, "1: tenggat lapor dihitung hari kerja; 0: hari kalender."),
    Setting("action_due_days", 7, "Hari kerja bagi atasan langsung untuk menindaklanjuti kasus baru."),
    Setting("holidays", "", "Hari libur nasional (YYYY-MM-DD, dipisah koma) yang dilewati hitungan hari kerja."),
    Setting("holidays_file", "", "Berkas hari libur, satu YYYY-MM-DD per baris (# untuk komentar)."),
    Setting("smtp_host", "", "Server SMTP untuk notifikasi surel (kosong: hanya di aplikasi)."),
    Setting("smtp_port", 587, "Port SMTP."),
    Setting("smtp_user", "", "Nama login SMTP (kosong: tanpa login)."),
    Setting("smtp_password", "", "Kata sandi SMTP (isi lewat NETRA_SMTP_PASSWORD).", secret=True),
    Setting("smtp_sender", "netra@localhost", "Alamat pengirim surel notifikasi."),
    Setting("smtp_starttls", 1, "1: tingkatkan koneksi SMTP dengan STARTTLS; 0: polos."),
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
            raise ConfigError(f"Pengaturan {setting.name!r} harus bilangan bulat, bukan {value!r}.")
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
            raise ConfigError(f"{path}: bukan TOML yang sah ({exc}).") from exc
        section = data.get("netra", data)
        for key, value in section.items():
            if key not in _BY_NAME:
                raise ConfigError(f"{path}: pengaturan {key!r} tidak dikenal.")
            values[key] = _coerce(_BY_NAME[key], value)

    for setting in SETTINGS:
        env_value = env.get(f"NETRA_{setting.name.upper()}")
        if env_value not in (None, ""):
            values[setting.name] = _coerce(setting, env_value)

    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key not in _BY_NAME:
            raise ConfigError(f"Pengaturan {key!r} tidak dikenal.")
        values[key] = _coerce(_BY_NAME[key], value)
    return values


def networks(value: str) -> tuple[str, ...]:
    """A comma-separated list of networks as a tuple; ConfigError names a malformed one."""
    import ipaddress

    items = tuple(part.strip() for part in str(value or "").split(",") if part.strip())
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ConfigError(f"Not a network address: {item!r}.") from None
    return items


def redacted(values: Mapping[str, Any]) -> dict[str, Any]:
    """The settings with every secret replaced, for display; a database URL loses its password."""
    from .redact import redact

    return {
        k: ("***" if _BY_NAME.get(k) and _BY_NAME[k].secret and v else
            redact(v) if k == "db" and isinstance(v, str) else v)
        for k, v in values.items()
    }

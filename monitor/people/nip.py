"""NIP (Nomor Induk Pegawai) and NIK validation.

A NIP has 18 digits: birth date (YYYYMMDD), appointment month (YYYYMM), sex (1 male,
2 female) and a three-digit sequence. Checking the parts, not just the length, catches the
commonest spreadsheet damage: a digit lost, a date typed in the wrong order, or a NIP that
Excel turned into ``1.98705E+17``. Messages are in Bahasa Indonesia because users read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


PPPK_CODE = 21


@dataclass(frozen=True)
class Nip:
    value: str
    birth_date: date
    appointed: tuple[int, int]  # (year, month); month is 21 for PPPK
    sex: str  # "L" or "P"
    sequence: int


def _clean(raw: object) -> str:
    text = "" if raw is None else str(raw).strip()
    return re.sub(r"[\s.\-']", "", text)


def parse_nip(raw: object) -> Nip:
    """Return the parsed NIP or raise ``ValueError`` saying what is wrong with it."""
    text = _clean(raw)
    if not text:
        raise ValueError("NIP kosong")
    if "e+" in text.lower():
        raise ValueError(f"NIP {raw!r} tersimpan sebagai angka ilmiah; format kolom NIP sebagai teks")
    if not text.isdigit():
        raise ValueError(f"NIP {raw!r} harus berisi angka saja")
    if len(text) != 18:
        raise ValueError(f"NIP {text} harus 18 digit (ada {len(text)})")
    try:
        born = date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise ValueError(f"NIP {text}: tanggal lahir {text[0:8]} tidak valid") from None
    year, month = int(text[8:12]), int(text[12:14])
    # PPPK numbers carry the code 21 where a PNS NIP has the appointment month.
    if not (1 <= month <= 12 or month == PPPK_CODE):
        raise ValueError(f"NIP {text}: bulan pengangkatan {text[8:14]} tidak valid")
    if year < born.year + 15 or year > date.today().year + 1:
        raise ValueError(f"NIP {text}: tahun pengangkatan {year} tidak masuk akal untuk kelahiran {born.year}")
    if text[14] not in "12":
        raise ValueError(f"NIP {text}: digit jenis kelamin harus 1 atau 2")
    sequence = int(text[15:18])
    if sequence == 0:
        raise ValueError(f"NIP {text}: nomor urut tidak boleh 000")
    return Nip(text, born, (year, month), "L" if text[14] == "1" else "P", sequence)


def is_valid_nip(raw: object) -> bool:
    try:
        parse_nip(raw)
    except ValueError:
        return False
    return True


def parse_nik(raw: object) -> str:
    """Return a 16-digit NIK or raise ``ValueError``; women's birth day is stored plus 40."""
    text = _clean(raw)
    if not text.isdigit() or len(text) != 16:
        raise ValueError(f"NIK {raw!r} harus 16 digit angka")
    day, month = int(text[6:8]), int(text[8:10])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise ValueError(f"NIK {text}: tanggal lahir tidak valid")
    return text

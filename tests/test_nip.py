from __future__ import annotations

from datetime import date

import pytest

from monitor.people.nip import is_valid_nip, parse_nik, parse_nip


def test_valid_nip_is_parsed_into_its_parts():
    nip = parse_nip("198503122010012003")
    assert nip.birth_date == date(1985, 3, 12)
    assert nip.appointed == (2010, 1)
    assert nip.sex == "P" and nip.sequence == 3


def test_spaces_and_dots_people_type_are_ignored():
    assert parse_nip("19850312 201001 2 003").value == "198503122010012003"


@pytest.mark.parametrize("raw, reason", [
    ("", "kosong"),
    ("19850312201001200", "18 digit"),
    ("1985031220100120031", "18 digit"),
    ("19850312201001200A", "angka"),
    ("198513122010012003", "tanggal lahir"),
    ("198502302010012003", "tanggal lahir"),
    ("198503122010132003", "bulan pengangkatan"),
    ("198503121990012003", "tahun pengangkatan"),
    ("198503122010013003", "jenis kelamin"),
    ("198503122010012000", "nomor urut"),
    ("1.98503E+17", "angka ilmiah"),
])
def test_invalid_nips_say_why(raw, reason):
    with pytest.raises(ValueError, match=reason):
        parse_nip(raw)
    assert not is_valid_nip(raw)


def test_nik_accepts_womens_birthday_plus_forty():
    assert parse_nik("3273015203900001") == "3273015203900001"
    with pytest.raises(ValueError):
        parse_nik("32730152039000")
    with pytest.raises(ValueError):
        parse_nik("3273017513900001")  # day 75-40=35


def test_pppk_numbers_with_code_21_are_valid():
    assert parse_nip("199001012022212001").appointed == (2022, 21)
    with pytest.raises(ValueError, match="bulan pengangkatan"):
        parse_nip("199001012022222001")

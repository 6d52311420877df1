"""Import the employee registry a BKPSDM already keeps (CSV or XLSX).

Every row is validated before anything is written. By default the import is all-or-nothing:
one bad row and nothing changes, and the report names each bad row by line number and
reason. With ``skip_invalid`` the valid rows are imported and the rest reported. Employees
missing from a full re-import are deactivated, never deleted (their posts and cases stay).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from classifiers.rows import utf16_text

from ..evidence import audit
from .handles import PLATFORMS, normalize_handle, platform_from_header
from .nip import parse_nik, parse_nip
from ..store import Store
from ..store import people

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nip baru", "nomor induk pegawai"),
    "nik": ("nik", "nomor induk kependudukan"),
    "name": ("nama", "nama lengkap", "nama pegawai", "name", "full name"),
    "unit": ("unit kerja", "unit", "opd", "satuan kerja", "unit_kerja", "perangkat daerah", "work unit"),
    "position": ("jabatan", "nama jabatan", "position", "job title"),
    "rank": ("pangkat/golongan", "pangkat / golongan", "pangkat", "golongan", "gol", "gol/ruang", "rank", "grade"),
    "employment_type": ("status kepegawaian", "status pegawai", "jenis pegawai", "status", "employment type"),
}
_HEADER_TO_FIELD = {alias: name for name, aliases in FIELD_ALIASES.items() for alias in aliases}

EMPLOYMENT_TYPES = {
    "pns": "PNS", "cpns": "PNS", "pppk": "PPPK", "p3k": "PPPK",
    "ppnpn": "PPNPN", "honorer": "PPNPN", "non asn": "PPNPN", "non-asn": "PPNPN", "nonasn": "PPNPN",
}

UNIT_ALIASES = {
    "code": ("code", "kode", "kode unit"),
    "name": ("name", "nama", "nama unit", "unit kerja"),
    "parent_code": ("parent_code", "parent", "induk", "kode induk"),
}


class RegistryFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    valid: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    applied: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    unkeyed_rejects: int = 0  # rejected rows whose NIP/NIK could not be read
    deactivation_skipped: bool = False


# --- reading -------------------------------------------------------------------------------

def read_table(path: str | Path) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """Header and (line number, cells) rows of a CSV or XLSX file; line 1 is the header."""
    path = Path(path)
    if not path.is_file():
        raise RegistryFileError(f"berkas {path} tidak ditemukan")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return _read_csv(path)
    raise RegistryFileError(f"format berkas {path.suffix or '(tanpa ekstensi)'} tidak didukung; gunakan CSV atau XLSX")


def _read_csv(path: Path):
    raw = path.read_bytes()
    text = utf16_text(raw)  # Excel's "Unicode text" export
    try:
        text = text.removeprefix("\ufeff") if text is not None else raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel on Windows, Indonesian locale
    if not text.strip():
        raise RegistryFileError(f"berkas {path} kosong")
    first = text.splitlines()[0]
    delimiter = max(",;\t", key=first.count)  # Indonesian Excel exports use ';'
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader)

    def rows():
        previous_end = reader.line_num
        for cells in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if any(c.strip() for c in cells):
                yield start, cells

    return [h.strip() for h in header], rows()


def _read_xlsx(path: Path):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise RegistryFileError(f"berkas XLSX {path} tidak dapat dibaca: {exc}") from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = [("" if h is None else str(h)).strip() for h in next(iterator)]
    except StopIteration:
        raise RegistryFileError(f"berkas {path} kosong") from None

    def rows():
        for line, cells in enumerate(iterator, start=2):
            values = list(cells)
            if any(v not in (None, "") for v in values):
                yield line, values
        workbook.close()

    return header, rows()


def _cell_text(value: Any) -> str:
    """Cell as text. Numbers longer than a double can hold exactly cannot be trusted as NIPs."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:e}"  # flagged by NIP validation as a number stored scientifically
    if isinstance(value, int) and len(str(abs(value))) > 15:
        return f"{float(value):e}"
    return str(value).strip()


# --- employees -----------------------------------------------------------------------------

def _map_header(header: list[str]) -> tuple[dict[str, int], dict[int, str], list[str]]:
    fields: dict[str, int] = {}
    platforms: dict[int, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        key = name.strip().lower()
        if key in _HEADER_TO_FIELD and _HEADER_TO_FIELD[key] not in fields:
            fields[_HEADER_TO_FIELD[key]] = index
        elif platform_from_header(key):
            platforms[index] = platform_from_header(key)  # type: ignore[assignment]
        elif key:
            ignored.append(name)
    if "name" not in fields:
        raise RegistryFileError("kolom Nama tidak ditemukan")
    if "nip" not in fields and "nik" not in fields:
        raise RegistryFileError("kolom NIP tidak ditemukan")
    return fields, platforms, ignored


def _split_handles(cell: str) -> list[str]:
    return [part for part in cell.replace(";", "\n").replace(",", "\n").split() if part]


def parse_employees(
    store: Store, path: str | Path, *, create_units: bool = False, instansi_id: int | None = None
) -> tuple[list[people.EmployeeRow], ImportReport, set[str]]:
    """Read and validate every row; nothing is written.

    Returns the valid rows, the report, and the NIP/NIK keys of rejected rows: those
    employees still exist and must not be deactivated as if they had left.
    """
    header, rows = read_table(path)
    fields, platform_columns, ignored = _map_header(header)
    report = ImportReport(ignored_columns=ignored)
    known_units = people.unit_ids_by_name(store, instansi_id)
    # With an empty unit table the first import creates units; afterwards an unknown name is
    # far more often a typo than a new OPD, so it needs --create-units.
    allow_new_units = create_units or not known_units
    seen_keys: dict[str, int] = {}
    seen_handles: dict[tuple[str, str], int] = {}
    valid: list[people.EmployeeRow] = []

    for line, cells in rows:
        report.rows += 1
        get = lambda f: _cell_text(cells[fields[f]]) if f in fields and fields[f] < len(cells) else ""  # noqa: E731
        problems: list[str] = []
        name = get("name")
        if not name:
            problems.append("nama kosong")
        type_text = get("employment_type")
        employment_type = EMPLOYMENT_TYPES.get(type_text.lower()) if type_text else "PNS"
        if employment_type is None:
            problems.append(f"status kepegawaian {type_text!r} tidak dikenal (PNS, PPPK atau PPNPN)")
        nip = nik = None
        nip_text, nik_text = get("nip"), get("nik")
        if nip_text:
            try:
                nip = parse_nip(nip_text).value
            except ValueError as exc:
                problems.append(str(exc))
        elif employment_type in ("PNS", "PPPK"):
            problems.append(f"NIP wajib untuk pegawai {employment_type}")
        if nik_text:
            try:
                nik = parse_nik(nik_text)
            except ValueError as exc:
                problems.append(str(exc))
        if not nip_text and not nik_text and employment_type == "PPNPN":
            problems.append("pegawai PPNPN tanpa NIP harus memiliki NIK")
        key = nip or (f"nik:{nik}" if nik else None)
        if key and key in seen_keys:
            problems.append(f"NIP/NIK sama dengan baris {seen_keys[key]}")
        unit = get("unit") or None
        if unit and unit.lower() not in known_units and not allow_new_units:
            problems.append(f"unit kerja {unit!r} tidak dikenal (periksa ejaan, atau gunakan --create-units)")
        accounts: list[tuple[str, str]] = []
        for index, platform in platform_columns.items():
            cell = _cell_text(cells[index]) if index < len(cells) else ""
            for raw_handle in _split_handles(cell):
                try:
                    handle = normalize_handle(platform, raw_handle)
                except ValueError as exc:
                    problems.append(str(exc))
                    continue
                other = seen_handles.get((platform, handle))
                if other is not None:
                    problems.append(f"akun {PLATFORMS[platform]} {handle} sudah dipakai di baris {other}")
                    continue
                seen_handles[(platform, handle)] = line
                accounts.append((platform, handle))
        if key:
            seen_keys.setdefault(key, line)
        if problems:
            report.errors.append(RowError(line, "; ".join(problems)))
            report.unkeyed_rejects += key is None
            continue
        valid.append(people.EmployeeRow(
            name=name, employment_type=employment_type or "PNS", unit_name=unit, nip=nip, nik=nik,
            position=get("position") or None, rank=get("rank") or None, accounts=tuple(accounts),
        ))
    report.valid = len(valid)
    valid_keys = {row.key for row in valid}
    return valid, report, {k for k in seen_keys if k not in valid_keys}


def import_employees(
    store: Store, path: str | Path, *, skip_invalid: bool = False, deactivate_missing: bool = True,
    create_units: bool = False, actor: str = "system", instansi_id: int | None = None,
) -> ImportReport:
    """Validate, then write (all-or-nothing unless ``skip_invalid``). Audited."""
    valid, report, protected = parse_employees(store, path, create_units=create_units, instansi_id=instansi_id)
    if report.rows == 0:
        raise RegistryFileError(f"berkas {path} tidak berisi baris data")
    if (report.errors and not skip_invalid) or report.valid == 0:
        # Nothing valid would mean "everyone left": never act on that.
        return report
    if deactivate_missing and report.unkeyed_rejects:
        # A rejected row we cannot identify may be someone still employed: deactivate nobody.
        deactivate_missing, report.deactivation_skipped = False, True
    with store.write():
        if protected and deactivate_missing:
            # Rows we skipped still name real employees: keep them active as they were.
            valid = valid + _existing_rows(store, protected)
        report.counts = people.apply_employee_import(store, valid, deactivate_missing=deactivate_missing,
                                                     instansi_id=instansi_id)
        audit.record(
            store, actor, "registry.import", f"file:{Path(path).name}",
            rows=report.rows, valid=report.valid, skipped=[(e.line, e.reason) for e in report.errors],
            **report.counts,
        )
    report.applied = True
    return report


def _existing_rows(store: Store, keys: set[str]) -> list[people.EmployeeRow]:
    """Current database state of employees whose file rows were invalid, so they stay as-is."""
    found = []
    for row in people.list_employees(store, active_only=True):
        key = row["nip"] or f"nik:{row['nik']}"
        if key in keys:
            accounts = tuple(tuple(a.split(":", 1)) for a in (row["accounts"] or "").split())
            found.append(people.EmployeeRow(
                name=row["name"], employment_type=row["employment_type"], unit_name=row["unit"],
                nip=row["nip"], nik=row["nik"], position=row["position"], rank=row["rank"],
                accounts=accounts,  # type: ignore[arg-type]
            ))
    return found


# --- units ---------------------------------------------------------------------------------

def import_units(store: Store, path: str | Path, *, actor: str = "system",
                 instansi_id: int | None = None) -> ImportReport:
    """Import the unit hierarchy (code, name, parent code). All-or-nothing."""
    header, rows = read_table(path)
    lowered = [h.lower() for h in header]
    columns = {}
    for field_name, aliases in UNIT_ALIASES.items():
        for alias in aliases:
            if alias in lowered:
                columns[field_name] = lowered.index(alias)
                break
    if "code" not in columns or "name" not in columns:
        raise RegistryFileError("berkas unit membutuhkan kolom kode dan nama")
    report = ImportReport()
    units: list[people.UnitRow] = []
    codes: dict[str, int] = {}
    for line, cells in rows:
        report.rows += 1
        get = lambda f: _cell_text(cells[columns[f]]) if f in columns and columns[f] < len(cells) else ""  # noqa: E731
        code, name, parent = get("code"), get("name"), get("parent_code") or None
        problems = []
        if not code:
            problems.append("kode unit kosong")
        if not name:
            problems.append("nama unit kosong")
        if code.lower() in codes:
            problems.append(f"kode {code} sama dengan baris {codes[code.lower()]}")
        if problems:
            report.errors.append(RowError(line, "; ".join(problems)))
            continue
        codes[code.lower()] = line
        units.append(people.UnitRow(code, name, parent))
    report.valid = len(units)
    if report.errors:
        return report
    try:
        with store.write():
            report.counts = people.upsert_units(store, units, instansi_id=instansi_id)
            audit.record(store, actor, "registry.units", f"file:{Path(path).name}", **report.counts)
    except ValueError as exc:
        report.errors.append(RowError(0, str(exc)))
        return report
    report.applied = True
    return report

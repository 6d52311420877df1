"""The violation codes a flag or case may carry, with the sanction each can lead to.

Kept apart from the case workflow so that notifications, exports and the review queue can name
a code without importing the workflow (which imports them): one table, no import circle.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ViolationCode:
    code: str
    description: str
    sanction: str


#: Netra's own labels (regulation.md). Sanction references name the rules, not article
#: numbers: nobody has checked the official text yet, so the UI must not quote articles.
VIOLATION_CODES: dict[str, ViolationCode] = {c.code: c for c in (
    ViolationCode("N1", "Berkampanye untuk (bakal) calon di media sosial",
                  "Sanksi moral (PP 42/2004); hukuman disiplin berat (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("N2", "Membagikan atau mengunggah ulang konten kampanye",
                  "Sanksi moral (PP 42/2004); hukuman disiplin berat (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("N3", "Mengomentari atau menyukai unggahan (bakal) calon atau akun kampanye",
                  "Sanksi moral (PP 42/2004); hukuman disiplin berat (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("N4", "Bergabung atau mengikuti grup/akun kampanye",
                  "Sanksi moral (PP 42/2004); hukuman disiplin berat (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("N5", "Berfoto bersama (bakal) calon",
                  "Sanksi moral (PP 42/2004); hukuman disiplin berat (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("N6", "Berfoto dengan tim kampanye, atribut partai atau latar kampanye",
                  "Sanksi moral (PP 42/2004); hukuman disiplin berat (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("N7", "Gestur jari/tangan yang menunjukkan keberpihakan",
                  "Sanksi moral (PP 42/2004); hukuman disiplin berat (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("N8", "Berfoto dengan alat peraga kampanye",
                  "Sanksi moral (PP 42/2004); hukuman disiplin berat (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("N9", "Menghadiri deklarasi/kampanye dan menunjukkan dukungan",
                  "Sanksi moral (PP 42/2004); hukuman disiplin berat (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("N10", "Kegiatan berpihak: ajakan, undangan, pembagian barang atau uang",
                  "Hukuman disiplin sedang (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("N11", "Menjadi anggota/pengurus partai atau tim (bakal) calon",
                  "Pemberhentian tidak dengan hormat bila anggota partai (UU 20/2023); "
                  "hukuman disiplin berat bila tim (PP 94/2021)"),
    ViolationCode("N12", "Menggunakan jabatan atau fasilitas negara untuk (bakal) calon",
                  "Hukuman disiplin berat (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("N13", "Bakal calon mempromosikan diri tanpa cuti/berhenti",
                  "Hukuman disiplin sedang (PP 94/2021); SKB netralitas ASN 2022"),
    ViolationCode("H1", "Ujaran kebencian terhadap Pancasila, UUD 1945, NKRI atau pemerintah",
                  "Hukuman disiplin berat (PP 94/2021)"),
    ViolationCode("H2", "Ujaran kebencian terhadap suku, agama, ras atau antargolongan (SARA)",
                  "Hukuman disiplin berat (PP 94/2021); dapat berdimensi pidana"),
    ViolationCode("H3", "Menyebarkan (membagikan ulang) konten ujaran kebencian",
                  "Hukuman disiplin berat (PP 94/2021)"),
    ViolationCode("H4", "Menyetujui konten ujaran kebencian (suka/komentar)",
                  "Hukuman disiplin sedang atau ringan (PP 94/2021)"),
    ViolationCode("K1", "Menyebarkan hoaks yang telah dibantah",
                  "Sesuai dampak (PP 94/2021); dapat pidana bila menimbulkan keonaran"),
    ViolationCode("A1", "Bahasa kasar atau tidak pantas",
                  "Hukuman disiplin ringan sampai sedang (PP 94/2021)"),
)}

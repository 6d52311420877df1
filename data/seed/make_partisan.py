"""Generate the partisan stance corpus: hard negatives (election talk) and subtle partisan posts.

Why generated: issue 18 needs many more posts of a few kinds (neutrality reminders that name the
forbidden, news listing every pair, coded support, regional vote calls, ...) than anyone can
write one by one. Every template and slot below is hand-written for Netra; the script only
combines them. Two disjoint template sets exist per kind: ``TRAIN`` feeds
``data/seed/partisan_hard.jsonl`` (training), ``HELDOUT`` feeds ``data/eval/partisan_heldout.jsonl``
(evaluation only), so the held-out figure measures phrasings the model never saw.

Run: ``python data/seed/make_partisan.py`` (deterministic; rewrites both files).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# --- slots ------------------------------------------------------------------------------------

LOCAL = [  # fictional regional tickets: (ballot number word/digit, name, nickname, region)
    ("1", "Pak Hendra Wiratama", "Kang Hendra", "Kabupaten Sukamaju"),
    ("2", "Bu Ratna Sari", "Bu Ratna", "Kota Tirtasari"),
    ("3", "Pak Darmaji", "Abah Darma", "Kabupaten Lembahhijau"),
    ("1", "Pak Yusran Datuak", "Da Yusran", "Kota Bukit Ameh"),
    ("2", "Mas Bayu Pratama", "Mas Bayu", "Kabupaten Kaliwangi"),
    ("3", "Bu Sinta Maharani", "Bu Sinta", "Kabupaten Cimanglid"),
    ("4", "Pak Oman Suherman", "Abah Oman", "Kabupaten Pasirlaya"),
    ("2", "Pak Rusdi Hamzah", "Pak Rusdi", "Kota Padang Alai"),
]
NATIONAL = [  # (number, pair, short name)
    ("01", "Anies–Muhaimin", "AMIN"), ("02", "Prabowo–Gibran", "Prabowo"), ("03", "Ganjar–Mahfud", "Ganjar"),
]
NUMWORD = {"1": ["satu", "siji", "hiji", "ciek"], "2": ["dua", "loro", "dua", "duo"],
           "3": ["tiga", "telu", "tilu", "tigo"], "4": ["empat", "papat", "opat", "ampek"]}
NICK = {"01": ["slepet", "Abah Anies", "Cak Imin", "AMIN", "perubahan"],
        "02": ["gemoy", "Prabowo-Gibran", "Mas Gibran", "joget gemoy", "Pak Prabowo"],
        "03": ["sat set", "Ganjar-Mahfud", "Pak Ganjar", "tas tes", "Prof Mahfud"]}
COLOUR = {"01": ["hijau", "hijau toska"], "02": ["biru muda", "biru langit"], "03": ["hitam", "merah hitam"]}
TRAIT = {"01": ["yang berkacamata", "yang pinter ngomong"], "02": ["yang joget", "yang gemoy"],
         "03": ["yang rambutnya putih", "yang rambut putih"]}
POSITION = {"1": ["pertama", "paling kiri"], "2": ["kedua", "di tengah"], "3": ["ketiga", "paling kanan"],
            "4": ["keempat", "paling ujung"]}
PARTY = [("PKB", "1"), ("Gerindra", "2"), ("PDI Perjuangan", "3"), ("Golkar", "4"), ("NasDem", "5"),
         ("PKS", "8"), ("PAN", "12"), ("Demokrat", "14"), ("PSI", "15"), ("PPP", "17")]
ELECTION = ["Pilkada", "pilbup", "pilwalkot", "Pemilu 2024", "pilpres", "pemilihan bupati"]
DAY = ["27 November", "14 Februari", "hari H", "hari pencoblosan", "Rabu besok"]
PLACE = ["Kecamatan Cibodas", "Nagari Sungai Tarab", "Desa Karangrejo", "Kelurahan Sukasari", "Kampung Pasir Jati",
         "Dusun Krajan", "Jorong Koto Baru"]
JOB = ["guru", "perawat", "staf kecamatan", "bidan desa", "penyuluh", "pegawai dinas"]
TAIL = ["", " 🙏", " 🔥", "!!", " wkwk", " ya gaes", " ✨", " 😊", "."]


def _pick(rng: random.Random, items):
    return items[rng.randrange(len(items))]


def _slots(rng: random.Random) -> dict[str, str]:
    number, name, nick, region = _pick(rng, LOCAL)
    nat, pair, short = _pick(rng, NATIONAL)
    others = [p for p in NATIONAL if p[0] != nat]
    party, party_no = _pick(rng, PARTY)
    return {
        "no": number, "noword": _pick(rng, NUMWORD[number]), "name": name, "nick": nick, "region": region,
        "nat": nat, "pair": pair, "short": short, "natnick": _pick(rng, NICK[nat]),
        "colour": _pick(rng, COLOUR[nat]), "trait": _pick(rng, TRAIT[nat]),
        "pos": _pick(rng, POSITION[str(int(nat))]), "natword": _pick(rng, NUMWORD[str(int(nat))]),
        "party": party, "party_no": party_no, "election": _pick(rng, ELECTION), "day": _pick(rng, DAY),
        "place": _pick(rng, PLACE), "job": _pick(rng, JOB),
        "all_pairs": ", ".join(f"{n} {p}" for n, p, _ in NATIONAL),
        "other": _pick(rng, others)[1],
    }


# --- templates: kind -> (train templates, held-out templates) ------------------------------------
# Kinds starting "p_" are partisan; "n_" are neutral election talk (hard negatives).

KINDS: dict[str, tuple[list[str], list[str]]] = {
    "p_code_visual": ([
        "Besok pokoknya coblos yang pake peci hitam di gambar {pos} ya, paham kan maksudnya{tail}",
        "pilih aja yg {trait}, udah paling bener itu{tail}",
        "warna jilbab sy tiap Jumat {colour} terus, yg ngerti pasti ngerti 😉 {day} jangan salah{tail}",
        "Kode keras: gambar {pos}, baju {colour}. Sing penting ojo salah coblos{tail}",
        "Saya mah tetap yang {trait}, udah keliatan kerjanya{tail}",
    ], [
        "Inget ya bun, nanti di bilik pilih yang fotonya {pos}, yang bajunya {colour} 😁{tail}",
        "coblos gambar {pos} aja lah, yang lain ga meyakinkan{tail}",
        "seragam {colour} hari ini bukan kebetulan ya rekan2, kode buat {day}{tail}",
    ]),
    "p_nickname": ([
        "{natnick} terus sampai menang! 💪{tail}",
        "Pokoknya {natnick} satu putaran, yang lain minggir dulu{tail}",
        "gak ada lawan, {natnick} paling ngerti rakyat kecil{tail}",
        "ayo dulur-dulur, menangkan {natnick} di {day}{tail}",
        "Hati saya sudah mantap ke {natnick}, semoga amanah jadi presiden{tail}",
    ], [
        "pilihanku jelas: {natnick}. yg lain cuma omon-omon{tail}",
        "bismillah {natnick} menang, indonesia lebih baik{tail}",
        "Fix no debat, {natnick} the best buat 5 tahun ke depan{tail}",
    ]),
    "p_regional_call": ([
        "Dulur kabeh, tanggal {day} ojo lali nyoblos sing nomer {noword}, {nick} wis kabukti{tail}",
        "Urang {place} mah kudu milih nomer {noword} atuh, {nick} bageur pisan{tail}",
        "Dunsanak, pilihlah nomor {noword} di {election} beko, {nick} urang awak{tail}",
        "monggo sedoyo, coblos nomer {noword} nggih, {nick} sampun nyata kerjane{tail}",
    ], [
        "ayo lur, sing nomer {noword} wae, liyane ora jelas{tail}",
        "Baraya, tong hilap milih nu nomer {noword} nya, {nick} pasti menang{tail}",
        "Ambo pasti ka nomor {noword}, kito menangkan {nick} basamo{tail}",
    ]),
    "p_ootd": ([
        "OOTD hari ini: kaos {natnick} + topi {colour} 😎 siap {day}{tail}",
        "ootd ngantor pake pin {nick} di kerudung, cakep kan{tail}",
        "Outfit of the day: kemeja {colour} bergambar {pair}, #OOTD{tail}",
    ], [
        "fit check sebelum ngajar: bros paslon {no} di jilbab, serasi sama tas{tail}",
        "outfit weekend, jaket relawan {natnick} udah dateng 🔥{tail}",
    ]),
    "p_posko_sowan": ([
        "Alhamdulillah sowan ke ndalem {nick} semalam, semoga beliau menang dan amanah{tail}",
        "Tadi mampir posko pemenangan {nick} di {place}, doakan menang ya{tail}",
        "Silaturahmi ke kediaman {name}, semoga Allah mudahkan jalan beliau jadi bupati{tail}",
    ], [
        "habis ngopi di posko {nick}, semoga {day} menang telak aamiin{tail}",
        "Bersama {nick} pagi ini di rumahnya, doa kami menyertai kemenangan beliau{tail}",
    ]),
    "p_money": ([
        "yaudah lah nyoblosnya sesuai yg ngasih amplop aja, rejeki jangan ditolak{tail}",
        "Kemarin dapet 100rb dari timses {nick}, ya pasti coblos dia lah{tail}",
        "wkwk serangan fajar udah masuk, aman lah suara kita buat nomor {no}{tail}",
    ], [
        "siapa yang kasih paling gede ya itu yang dicoblos, realistis aja{tail}",
        "Amplop dari {nick} udah diterima, jadi kita pilih dia ya bu ibu{tail}",
    ]),
    "p_party_ticket": ([
        "Pileg pilih {party}, pilpres pilih {pair}. Satu paket!{tail}",
        "{party} nomor {party_no} + {natnick}, pasangan serasi buat Indonesia{tail}",
        "Kader {party} wajib all in ke {pair}{tail}",
    ], [
        "coblos partainya {party}, presidennya {natnick}, beres{tail}",
        "Warga {place}: {party} dan {pair} harga mati{tail}",
    ]),
    "p_pupils": ([
        "Murid-murid kelas saya teriak 'nomor {nat}! nomor {nat}!' pas upacara, bangga sekali saya hehe{tail}",
        "Anak2 didikku pada kompak bilang {natnick} 😍 guru mana yang gak bangga{tail}",
    ], [
        "lucu bgt siswa sy tadi nyanyi yel-yel {natnick} rame2, ibu bangga nak{tail}",
        "Pas istirahat anak-anak teriak {short} menang, saya ikut tepuk tangan bangga{tail}",
    ]),
    "p_attack": ([
        "Jangan kasih suara ke {party}, sudah terbukti khianat{tail}",
        "jgn pilih {other}, cuma janji doang{tail}",
        "{party} itu partai korup, tolak di {day}{tail}",
    ], [
        "jangan kasih suara sedikitpun buat {party} ya lur{tail}",
        "Ogah banget pilih {other}, programnya omong kosong{tail}",
    ]),
    "p_vote_call": ([
        "Ayo menangkan {name} nomor urut {no} di {election}{tail}",
        "{day} coblos nomor {no}, {nick} untuk {region} lebih maju{tail}",
        "dukung terus {nick}, dua periode!{tail}",
    ], [
        "Mari bersama pilih {nick}, pemimpin yang peduli rakyat{tail}",
        "Yakin sama {nick}, tanggal {day} kita menangkan{tail}",
    ]),
    # --- neutral election talk -----------------------------------------------------------------
    "n_reminder": ([
        "Pengingat: ASN dilarang jadi tim sukses, dilarang ikut kampanye {nick} maupun paslon lain{tail}",
        "Hati-hati rekan {job}, ada yg kena sanksi gara-gara foto salam {natword} jari. ASN wajib netral{tail}",
        "Sosialisasi netralitas: ASN tidak boleh like atau share postingan paslon {no} atau paslon mana pun{tail}",
        "Dilarang pasang stiker {natnick} di kendaraan dinas ya, itu pelanggaran netralitas{tail}",
    ], [
        "Sekadar info, PNS yang pose dua jari bareng calon bisa dihukum disiplin. Tetap netral{tail}",
        "Ingat ya, ASN ga boleh jadi relawan {pair} atau siapa pun, sanksinya berat{tail}",
        "Kemarin ada teman kena teguran karena share poster {natnick}. Jadi pelajaran, kita netral saja{tail}",
    ]),
    "n_refusal": ([
        "Dapat undangan tim sukses {nick}, sy tidak datang. Saya ASN{tail}",
        "jgn masukin sy ke grup relawan paslon ya, sy netral{tail}",
        "Maaf pak, saya tolak ajakan jadi koordinator relawan {nick}, saya pegawai negeri{tail}",
    ], [
        "Ditawari kaos {natnick} sama tetangga, saya kembalikan baik-baik. Aturan ASN{tail}",
        "Ada yg ngajak ke deklarasi {nick}, saya bilang maaf gak bisa, harus netral{tail}",
    ]),
    "n_report": ([
        "Kalau lihat ASN kampanye untuk {nick} atau siapa pun, laporkan ke Bawaslu{tail}",
        "Temukan politik uang dari paslon mana pun? Laporkan ke Panwaslu {place}{tail}",
        "Bawaslu {region} buka posko pengaduan pelanggaran kampanye, silakan lapor{tail}",
    ], [
        "Ada bagi-bagi amplop atas nama calon? Foto dan adukan ke Bawaslu ya warga{tail}",
        "Melihat kepala desa ikut kampanye paslon {no}? Segera lapor ke pengawas pemilu{tail}",
    ]),
    "n_news_list": ([
        "Hasil pengundian nomor urut KPU: {all_pairs}{tail}",
        "Jadwal debat capres malam ini diikuti tiga pasangan: {all_pairs}{tail}",
        "KPU {region} menetapkan nomor urut: 1 Pak Hendra, 2 Bu Ratna, 3 Abah Darma{tail}",
    ], [
        "Berita: debat kedua menghadirkan {all_pairs}, disiarkan langsung pukul 19.00 WIB{tail}",
        "Rekap sementara {election}: paslon 1, 2 dan 3 masih bersaing ketat, tunggu hasil resmi KPU{tail}",
    ]),
    "n_instruction": ([
        "Cara mencoblos yang sah: coblos satu kali pada bidang gambar paslon, jangan di luar kotak{tail}",
        "Tips di bilik suara: surat suara sah jika dicoblos di bidang gambar paslon, nomor urut, atau nama{tail}",
    ], [
        "Biar suara sah, lubangi bidang gambar pasangan calon yang kamu pilih, cukup sekali{tail}",
        "Edukasi pemilih: coblos di dalam kolom foto paslon, jangan lebih dari satu{tail}",
    ]),
    "n_unity": ([
        "Siapapun pilihanmu, 01, 02 atau 03, jaga persatuan ya{tail}",
        "Beda pilihan itu biasa, {all_pairs}, semua anak bangsa. Jangan saling hujat{tail}",
        "Mau {nick} atau calon lain, kita tetap saudara di {place}{tail}",
    ], [
        "Pilihan boleh beda, pertemanan jangan putus. Damai pemilu{tail}",
        "Apapun pilihanmu nanti, tetap rukun sama tetangga ya{tail}",
    ]),
    "n_reconcile": ([
        "Pemilu sudah selesai, selamat untuk yang terpilih, mari bersatu kembali{tail}",
        "Apapun hasil {election}, saatnya rekonsiliasi dan bangun {region} bersama{tail}",
    ], [
        "Kontestasi usai, yang menang dan kalah sama-sama putra terbaik daerah. Bersatu lagi{tail}",
        "Sudah saatnya salaman lagi, pilkada selesai, kerja bareng buat {place}{tail}",
    ]),
    "n_civic_call": ([
        "Pilih pemimpin yang jujur dan amanah, jangan golput{tail}",
        "Ulah hilap ka TPS {day}, hak pilih urang sadayana{tail}",
        "Ayo ke TPS {day}, satu suara menentukan masa depan {region}{tail}",
        "Ojo lali nyoblos {day}, gunakan hak pilihmu dengan bijak{tail}",
        "Jan lupo ka TPS dunsanak, suaro awak manantukan{tail}",
    ], [
        "Jangan lupa datang ke TPS ya, pilih sesuai hati nurani masing-masing{tail}",
        "Kenali calonmu, baca programnya, lalu tentukan sendiri pilihanmu{tail}",
        "Mangga sadayana sumping ka TPS, ulah golput{tail}",
    ]),
    "n_programme": ([
        "Bupati {name} meresmikan posyandu baru di {place} hari ini{tail}",
        "Pemkab: Wali Kota {nick} membuka pelatihan {job} di aula kecamatan{tail}",
        "Program vaksinasi anak dibuka Bupati {nick} di {place}, warga antusias{tail}",
    ], [
        "Kunjungan kerja Bupati {nick} ke {place} untuk meninjau jalan rusak{tail}",
        "Rapat koordinasi stunting dipimpin Wali Kota {name} pagi tadi{tail}",
    ]),
    "n_anecdote": ([
        "Tadi lewat posko tetangga yg relawan {nick}, rame banget, macet jalanan{tail}",
        "Anak saya nanya kenapa poster {natnick} banyak di jalan, saya jelaskan soal pemilu{tail}",
        "Waktu kecil saya pernah satu sekolah sama {name}, dunia sempit ya{tail}",
    ], [
        "Pulang kerja kejebak macet karena ada kampanye {nick} di alun-alun{tail}",
        "Ibu saya cerita ketemu {nick} di pasar, beliau beli sayur juga haha{tail}",
    ]),
}


def _render(template: str, rng: random.Random) -> str:
    slots = _slots(rng)
    slots["tail"] = _pick(rng, TAIL)
    text = template.format(**slots)
    if rng.random() < 0.25:
        text = text.lower()
    return re.sub(r"\s+", " ", text).strip()


def generate(split: int, per_template: int, seed: int, negative_boost: float = 1.2) -> list[dict]:
    """Rows of one split; neutral templates get more rows so about half the posts are hard negatives."""
    rng = random.Random(seed)
    rows, seen = [], set()
    for kind, templates in KINDS.items():
        wanted = per_template if kind.startswith("p_") else round(per_template * negative_boost)
        for t_index, template in enumerate(templates[split]):
            made, tries = 0, 0
            while made < wanted and tries < wanted * 20:
                tries += 1
                text = _render(template, rng)
                if text in seen:
                    continue
                seen.add(text)
                made += 1
                rows.append({"text": text, "labels": ["partisan"] if kind.startswith("p_") else [],
                             "kind": kind, "template": f"{kind}/{'train' if split == 0 else 'heldout'}{t_index}"})
    return rows


def main() -> None:
    train = generate(0, 25, seed=18)
    heldout = generate(1, 9, seed=1818)
    for i, row in enumerate(train, 1):
        row["id"] = f"ph{i:04d}"
    for i, row in enumerate(heldout, 1):
        row["id"] = f"pe{i:04d}"
    (ROOT / "eval").mkdir(exist_ok=True)
    for path, rows in ((ROOT / "seed" / "partisan_hard.jsonl", train), (ROOT / "eval" / "partisan_heldout.jsonl", heldout)):
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        positives = sum(1 for r in rows if r["labels"])
        print(f"{path.relative_to(ROOT.parent)}: {len(rows)} rows, {positives} partisan, {len(rows) - positives} neutral")


if __name__ == "__main__":
    main()

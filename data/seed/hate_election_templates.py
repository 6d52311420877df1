"""Writes hate_election.jsonl and hate_election_heldout.jsonl: election-register hate posts
and hard negatives, written for Netra (issue 21). Run: python data/seed/hate_election_templates.py

Why templates: the posts need the same slurs and targets in many sentence shapes, in the
registers ASN accounts use (formal, Jakarta slang, Javanese, Sundanese, long Facebook posts).
Every sentence shape below was written for this file; names are fictional. The held-out file
uses OTHER sentence shapes and other names, so it measures generalisation, not recall of
the training shapes. Hard negatives are the same words named to be rejected (counter-speech,
news of a report, ASN training material, history) or ordinary talk about faiths and groups.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

TRAIN_NAMES = ["Pak Hendra", "Bu Ratna", "Koh Budi", "Pak Yohanes", "si Darto", "Bu Siti", "calon nomor 2",
               "paslon 01", "Pak Bupati", "cawalkot itu", "Pak Markus", "Ustaz Salim", "Bu Lina", "Pak Togar"]
HELD_NAMES = ["Pak Fransiskus", "Bu Meilani", "Haji Amir", "Pak Wayan", "calon nomor 3", "Bu Rosa", "Mas Yudi", "Pak Lurah"]
TRAIN_GROUPS = ["orang Cina", "etnis Tionghoa", "orang Kristen", "umat Katolik", "orang Arab", "orang Madura",
                "orang Papua", "orang Batak", "kaum Syiah", "jemaat Ahmadiyah", "orang Jawa", "kaum pendatang"]
HELD_GROUPS = ["warga keturunan", "umat Hindu", "orang Bugis", "orang Dayak", "kaum Wahabi", "orang Ambon", "orang Minang",
               "warga Tionghoa", "umat Islam", "orang Sunda"]
FAITH_SLURS = ["kafir", "cina kafir", "aseng", "cokin", "onta", "kadal gurun", "murtad", "sesat"]
ACCUSATIONS = ["penista agama", "antek aseng", "antek asing", "anak PKI", "kader PKI", "antek PKI", "penghina ulama"]
CAMPS = ["kadrun", "cebong", "kampret", "kecebong", "bani serbet", "kadrun2", "cebong2"]
DEHUMANISING = ["babi", "monyet", "tikus", "kecoa", "sampah", "binatang", "parasit", "anjing"]
PLACES = ["Sukamaju", "Kabupaten Mekarsari", "Kota Harapan", "daerah kita", "kampung ini", "provinsi ini"]

NEUTRAL_PARAGRAPHS = [
    "Pagi tadi saya ikut rapat koordinasi di kantor kecamatan membahas jadwal posyandu, pembagian pupuk dan perbaikan jalan desa yang rusak sejak musim hujan.",
    "Banyak warga datang ke balai desa menyampaikan usulan soal irigasi sawah, lampu jalan dan air bersih, dan kepala desa berjanji membawanya ke musrenbang.",
    "Harga cabai dan bawang di pasar naik lagi minggu ini, ibu-ibu mengeluh karena uang belanja tidak cukup untuk sebulan.",
    "Debat kandidat semalam membahas pendidikan, kesehatan dan lapangan kerja, tapi menurut saya jawabannya masih normatif dan kurang data.",
    "Anak-anak sekolah sudah mulai ujian akhir semester, guru-guru lembur menyiapkan soal dan nilai rapor.",
    "Jalan provinsi menuju kecamatan kami masih berlubang, kemarin ada pengendara motor yang jatuh saat hujan deras.",
    "Survei terbaru menunjukkan elektabilitas para calon masih bersaing ketat, selisihnya di bawah margin of error.",
    "Kami di puskesmas tetap melayani warga seperti biasa selama masa kampanye, antrean pagi ini cukup panjang.",
]


def fill(template: str, rng: random.Random, names: list[str], groups: list[str]) -> str:
    return template.format(name=rng.choice(names), group=rng.choice(groups), slur=rng.choice(FAITH_SLURS),
                           acc=rng.choice(ACCUSATIONS), camp=rng.choice(CAMPS), dehum=rng.choice(DEHUMANISING),
                           place=rng.choice(PLACES), para=rng.choice(NEUTRAL_PARAGRAPHS),
                           para2=rng.choice(NEUTRAL_PARAGRAPHS))


# (template, code, style) -- hateful posts of the training part
TRAIN_HATE = [
    ("{name} itu {slur}, jangan sampai jadi pemimpin {place}", "H2", "formal"),
    ("Haram dipimpin {slur}! Ingat itu saat ke TPS, jangan pilih {name}", "H2", "formal"),
    ("{name} {acc}, masa kita mau dipimpin orang begitu", "H2", "formal"),
    ("dasar {camp}, kalah debat langsung nyebar fitnah", "H2", "slang"),
    ("para {camp} pada mewek lagi wkwk otaknya kosong semua", "H2", "slang"),
    ("{group} itu semua {dehum}, jangan kasih mereka jabatan di {place}", "H2", "formal"),
    ("Usir saja {group} dari {place}, bikin rusak tatanan", "H2", "formal"),
    ("{group} cuma mau menguasai tanah pribumi, jangan biarkan mereka menang pilkada", "H2", "formal"),
    ("gw ogah dipimpin {slur}, mending golput daripada {name}", "H2", "slang"),
    ("Kalau {name} menang, {place} bakal dikuasai {slur} dan {acc}", "H2", "formal"),
    ("Wkwk {camp} mati kutu 😂😂 dasar otak udang semua", "H2", "emoji"),
    ("Pemerintah ini {acc}, negara dijual ke asing, bubarkan saja rezim ini", "H1", "formal"),
    ("rezim {acc} harus tumbang, Pancasila cuma dipakai buat nutupin kebusukan mereka", "H1", "formal"),
    ("wong {group} ki kabeh {dehum}, ojo dipilih", "H2", "javanese"),
    ("{name} ki {acc}, ora pantes dadi bupati", "H2", "javanese"),
    ("urang {group} mah kabeh {dehum}, ulah dipilih", "H2", "sundanese"),
    ("{name} teh {slur}, moal dipilih ku abdi", "H2", "sundanese"),
    ("Jangan biarkan {group} jadi pejabat, mereka pasti cuma mengurus golongannya sendiri dan menindas kita", "H2", "formal"),
    ("{group} tidak pantas tinggal di negeri ini, pulang saja ke negara asal kalian", "H2", "formal"),
    ("Semua {group} itu licik dan penipu, pantas kalau dibenci warga", "H2", "formal"),
    ("Bersihkan {place} dari {group} sebelum pilkada, mereka penyakit masyarakat", "H2", "formal"),
    ("{para} Tapi ingat, {name} itu {acc} dan {slur}, jangan sampai dia menang. {para2}", "H2", "long"),
    ("{para} {para2} Pokoknya {group} itu {dehum} semua, jangan dikasih panggung. Sekian curhat saya hari ini.", "H2", "long"),
    ("{para} Dasar {camp} semua, bisanya cuma nyinyir dan memecah belah. {para2}", "H2", "long"),
    ("#TolakPemimpinKafir {name} {slur} jangan dipilih!!", "H2", "emoji"),
    ("cuma {camp} yang mau milih {name}, otak udang semua 🤮", "H2", "emoji"),
    ("Agama {name} sesat, pengikutnya kafir semua, lawan!", "H2", "formal"),
    ("Darah {name} itu darah PKI, keturunan pengkhianat bangsa", "H2", "formal"),
    ("{group} penjajah ekonomi, boikot toko mereka dan jangan pilih calon mereka", "H2", "formal"),
    ("Kita harus bersatu melawan {group} yang mau merebut kekuasaan di {place}", "H2", "formal"),
    # hostility to the state (H1) and insults of a candidate's faith or origin
    ("Pemerintah sekarang cuma boneka asing, rakyat dibodohi terus, lawan rezim ini!", "H1", "formal"),
    ("Presiden pembohong, gulingkan saja sebelum negara ini hancur di tangan {acc}", "H1", "formal"),
    ("Bubarkan saja negara ini kalau yang memimpin {acc} seperti {name}", "H1", "formal"),
    ("{name} dungu dan {slur}, bikin malu {place} saja", "H2", "slang"),
    ("Dasar {dehum}, {group} memang tidak tahu diri, usir dari {place}!", "H2", "formal"),
    ("rezim dzalim anti ulama, isinya {camp} semua, hancurkan!", "H1", "slang"),
]

# Hard negatives of the training part: the slur named to reject it, or ordinary talk about groups.
TRAIN_NEG = [
    ("Jangan sebut {group} {slur}, mereka saudara sebangsa kita", "counter speech"),
    ("Stop ujaran kebencian! Menyebut pendukung lawan '{camp}' itu memecah belah warga {place}", "counter speech"),
    ("Polres menangkap pemilik akun yang menyebut {name} \"{acc}\" di media sosial", "news of a report"),
    ("Materi bimtek netralitas ASN hari ini: contoh ujaran kebencian seperti \"{slur}\" dan \"{camp}\" dilarang keras", "training material"),
    ("Tidak pantas menyebut {group} {dehum}, siapa pun pilihannya kita tetap bertetangga", "counter speech"),
    ("{name} bukan {acc}, itu fitnah lama yang sudah diklarifikasi", "denial of a slur"),
    ("Upacara Hari Kesaktian Pancasila pagi ini mengenang korban pemberontakan G30S/PKI", "history"),
    ("Perayaan Imlek di klenteng {place} meriah, {group} dan warga sekitar berbaur bersama", "ordinary group mention"),
    ("Ibadah Natal di gereja aman, dijaga warga lintas agama. Indahnya toleransi di {place}", "ordinary group mention"),
    ("Program {name} soal jalan desa belum jelas anggarannya, semoga dijelaskan di debat berikutnya", "policy criticism"),
    ("kampret, motor mogok di tengah hujan pas mau berangkat ngantor", "curse not aimed at a group"),
    ("Anak-anak belajar siklus hidup katak, dari telur jadi cebong lalu katak dewasa", "biology"),
    ("Bawaslu mengimbau warga melaporkan konten SARA dan ujaran kebencian selama masa kampanye", "civic notice"),
    ("Saya tidak setuju dengan kebijakan {name} soal pajak, tapi jangan serang agama dan sukunya", "counter speech"),
    ("Warganet mengecam unggahan yang menyebut {group} {dehum}, pelakunya sudah minta maaf", "news of a report"),
    ("Mari jaga pilkada damai, hindari politik identitas dan jangan saling mencap kafir", "counter speech"),
    ("{para} Semoga pilkada tahun ini berjalan damai tanpa hoaks dan ujaran kebencian. {para2}", "long neutral"),
    ("{para} {para2}", "long neutral"),
    ("Diskusi lintas iman di kampus membahas cara melawan stigma terhadap {group}", "ordinary group mention"),
    ("Pengajian rutin malam Jumat di masjid kampung membahas tafsir surat Al-Kafirun", "religious teaching"),
    ("Hasil survei: {name} unggul tipis, pendukung lawan diminta tetap tenang menunggu hasil resmi KPU", "election news"),
    ("Kuliner khas {group} enak banget, tadi makan siang bareng teman kantor", "ordinary group mention"),
    ("Istilah {camp} dan kadrun sebaiknya tidak dipakai lagi, itu cuma bikin warga saling benci", "counter speech"),
    ("Sidang kasus penistaan agama ditunda pekan depan, majelis hakim menunggu saksi ahli", "court news"),
    ("Mbok yo ojo nyebut wong liyo kafir, kabeh iku sedulur", "counter speech javanese"),
    ("Ulah nyebut batur kafir atawa {camp}, urang kabeh dulur", "counter speech sundanese"),
    # ordinary talk that names faiths, ethnic groups and camps: naming a group is not hate
    ("{group} di {place} menggelar doa bersama untuk pemilu yang damai", "ordinary group mention"),
    ("Pendukung {name} dan pendukung lawannya nonton debat bareng di balai warga, suasananya cair", "ordinary group mention"),
    ("Data BPS: {group} tercatat sebagai salah satu kelompok penduduk terbesar di {place}", "ordinary group mention"),
    ("Rumah makan {group} di dekat kantor buka sampai malam selama bulan puasa", "ordinary group mention"),
    ("Kerja bakti bersama {group} dan warga lain membersihkan saluran air di {place}", "ordinary group mention"),
    ("Sejarah kedatangan {group} ke {place} dibahas di seminar budaya kemarin", "ordinary group mention"),
    ("Tokoh {group} mengajak warga datang ke TPS dan menerima hasil pemilu dengan lapang dada", "ordinary group mention"),
    ("Teman kantor saya dari {group}, orangnya ramah dan rajin membantu", "ordinary group mention"),
    ("Pemuda {group} juara lomba paduan suara tingkat provinsi, selamat!", "ordinary group mention"),
    ("Masjid dan gereja di {place} berdiri berdampingan sejak puluhan tahun", "ordinary group mention"),
    ("Banyak pedagang {group} di pasar {place} yang berjualan turun-temurun", "ordinary group mention"),
    ("Pengurus RT mengundang {group} dan semua warga untuk rapat persiapan tujuh belasan", "ordinary group mention"),
    ("Bahasa daerah {group} diajarkan lagi di sekolah sebagai muatan lokal", "ordinary group mention"),
    ("Survei: pemilih {group} di {place} terbagi ke semua pasangan calon", "election news"),
    ("Umat beragama di {place} saling mengucapkan selamat hari raya, termasuk {group}", "ordinary group mention"),
    ("Saya kritik kebijakan {name} soal anggaran pendidikan, datanya tidak sesuai janji kampanye", "policy criticism"),
]

# Held-out: other sentence shapes (questions, sarcasm, reported speech of the poster's own).
HELD_HATE = [
    ("Serius mau nyoblos {name}? Dia kan {slur}, mikir dong", "H2", "slang"),
    ("Heran, kok bisa {acc} kayak {name} dicalonkan partai", "H2", "formal"),
    ("Yang belain {name} pasti {camp}, gak usah didengerin", "H2", "slang"),
    ("Ya ampun {group} lagi, pantesan {place} makin hancur, dasar {dehum}", "H2", "formal"),
    ("Pilkada kali ini pertarungan umat melawan {slur}, jangan sampai kalah", "H2", "formal"),
    ("Kasihan {place} kalau dipimpin {acc}, siap-siap azab", "H2", "formal"),
    ("{camp} {camp} {camp}, kerjanya cuma nyinyir tiap hari 🤣", "H2", "emoji"),
    ("aku wegah dipimpin {slur}, wis cetho {name} ora iso dipercoyo", "H2", "javanese"),
    ("{group} mah teu bisa dipercaya, kabeh {dehum}", "H2", "sundanese"),
    ("{para} Satu lagi: {group} itu {dehum} yang menggerogoti {place}. {para2}", "H2", "long"),
    ("{para} Makanya jangan heran, {name} kan {acc}. {para2}", "H2", "long"),
    ("Negara ini sudah dijual rezim {acc}, rakyat cuma jadi budak", "H1", "formal"),
]
HELD_NEG = [
    ("Kenapa sih orang masih suka nyebut {group} {slur}? Itu kan menyakitkan", "counter speech"),
    ("Seorang guru honorer dipolisikan setelah mengunggah kata \"{acc}\" untuk {name}", "news of a report"),
    ("Pelatihan literasi digital: kenali ujaran kebencian seperti '{camp}' dan cara melaporkannya", "training material"),
    ("Saya memang tidak memilih {name}, tapi menyebutnya {slur} itu keterlaluan", "counter speech"),
    ("Festival budaya {group} di alun-alun {place} ramai pengunjung", "ordinary group mention"),
    ("Rencana {name} menaikkan retribusi pasar perlu dikaji ulang, pedagang keberatan", "policy criticism"),
    ("Nonton film dokumenter sejarah PKI 1948 di Madiun bareng anak-anak", "history"),
    ("kampret emang, dompet ketinggalan di angkot", "curse not aimed at a group"),
    ("{para} {para2} Salam damai untuk semua pendukung, siapa pun pilihannya.", "long neutral"),
    ("Aja nyebut {group} {dehum}, ora apik, kabeh podo menungsane", "counter speech javanese"),
]


def build(hate, neg, names, groups, per_template: int, prefix: str, seed: int) -> list[dict]:
    """Up to ``per_template`` distinct posts from each template, shuffled, with ids."""
    rng = random.Random(seed)
    rows, seen = [], set()
    for templates, labelled in ((hate, True), (neg, False)):
        for template, *rest in templates:
            made = 0
            for _ in range(per_template * 4):
                text = fill(template, rng, names, groups)
                if text in seen:
                    continue
                seen.add(text)
                if labelled:
                    code, style = rest
                    rows.append({"text": text, "labels": ["hate"], "code": code, "style": style, "note": "election-register hate"})
                else:
                    rows.append({"text": text, "labels": [], "code": None, "style": "mixed", "note": rest[0]})
                made += 1
                if made >= per_template:
                    break
    rng.shuffle(rows)
    return [{"id": f"{prefix}{i:04d}", **row} for i, row in enumerate(rows, 1)]


def write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    write(HERE / "hate_election.jsonl", build(TRAIN_HATE, TRAIN_NEG, TRAIN_NAMES, TRAIN_GROUPS, 8, "he", 21))
    write(HERE / "hate_election_heldout.jsonl", build(HELD_HATE, HELD_NEG, HELD_NAMES, HELD_GROUPS, 8, "hh", 2121))

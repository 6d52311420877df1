"""Signatures and indexes for near-copies (classifiers.near_duplicates, issue 17)."""

from __future__ import annotations

import io
import random

from PIL import Image

from classifiers import near_duplicates as nd
from tests.images import banner, degrade, poster

MESSAGE = ("Ayo warga desa, datang ke kampanye akbar pasangan nomor 2 di lapangan merdeka hari rabu jam "
           "sembilan pagi, ajak keluarga dan tetangga semua!")


def test_forwarded_copies_are_similar_and_other_messages_are_not():
    copy = "Fwd: " + MESSAGE.upper().replace("!", " 🙏 https://t.co/abc")
    other_candidate = MESSAGE.replace("nomor 2", "nomor 1").replace("rabu", "kamis").replace("merdeka", "pemuda")
    unrelated = "Rapat koordinasi posyandu kelurahan dimulai jam sembilan pagi di balai warga, mohon hadir tepat waktu"
    a, b, c, d, short = nd.minhashes([MESSAGE, copy, other_candidate, unrelated, "mantap pak"])
    assert nd.similarity(a, b) >= 0.8
    assert nd.similarity(a, d) < 0.2
    assert nd.similarity(a, c) < nd.similarity(a, b)
    assert short is None
    assert (nd.signature_from_hex(nd.signature_hex(a)) == a).all()


def test_text_index_groups_copies_and_can_forget_a_key():
    texts = [MESSAGE, MESSAGE + " Sebarkan!", "Jadwal vaksinasi anak sekolah dasar dimulai senin depan di puskesmas kecamatan",
             MESSAGE.lower()]
    labels = nd.group(nd.minhashes(texts), index=nd.TextIndex())
    assert labels == [0, 0, 2, 0]
    index = nd.TextIndex()
    signature = nd.minhashes([MESSAGE])[0]
    index.add(5, signature)
    assert index.nearest(signature) == (5, 0)
    index.remove(5)
    assert index.nearest(signature) is None and len(index) == 0


def test_hamming_index_finds_every_signature_within_the_distance():
    rng = random.Random(3)
    index = nd.Index(nd.IMAGE_DISTANCE)
    base = rng.getrandbits(64)
    index.add(1, base)
    for _ in range(200):  # flip up to IMAGE_DISTANCE random bits: always found (pigeonhole)
        flipped = base
        for bit in rng.sample(range(64), rng.randint(0, nd.IMAGE_DISTANCE)):
            flipped ^= 1 << bit
        assert index.nearest(flipped)[0] == 1
    far = base ^ ((1 << 64) - 1)
    assert index.nearest(far) is None


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_phash_survives_recompression_and_resizing_but_not_another_poster():
    rng = random.Random(1)
    lines = ["COBLOS NOMOR 2", "BUPATI AMANAH"]
    original = nd.phash(poster(lines))
    jpeg = nd.phash(_open(degrade(poster(lines), "jpeg", rng)))
    small = nd.phash(poster(lines).resize((400, 500)))
    other = nd.phash(poster(["JADWAL POSYANDU", "BULAN INI"], background="#1f7a3a"))
    banner_hash = nd.phash(banner("KAMPANYE AKBAR"))
    assert nd.hamming(original, jpeg) <= nd.IMAGE_DISTANCE
    assert nd.hamming(original, small) <= nd.IMAGE_DISTANCE
    assert nd.hamming(original, other) > nd.IMAGE_DISTANCE
    assert nd.hamming(original, banner_hash) > nd.IMAGE_DISTANCE

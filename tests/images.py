"""Pictures with known words, drawn with Pillow, for OCR and near-duplicate tests and benchmarks.

Three shapes that reach Netra: a campaign poster (few large lines on a colour), a wide banner
(one line), and a phone screenshot of a chat (several small lines in bubbles). Each can be
rotated a little, blurred and JPEG-compressed, the way a forwarded picture degrades. The font
is DejaVu from Debian's fonts-dejavu-core (installed by ``make chromium``).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

CHAT_TITLE = "Grup Warga RT 05"
WORDS = ("pilih nomor dua untuk bupati kita coblos pasangan amanah jujur warga desa ayo datang ke tps "
         "rabu pagi kampanye akbar lapangan merdeka jam sembilan dukung calon gubernur pembangunan jalan "
         "rapat dinas kantor kecamatan jadwal posyandu bulan ini kerja bakti minggu pagi bersama warga "
         "relawan menang satu putaran lanjutkan program sekolah gratis beras murah").split()


@dataclass(frozen=True)
class Picture:
    kind: str          # poster, banner, screenshot
    text: str          # the words drawn, lines joined by "\n"
    data: bytes        # encoded file (PNG, or JPEG when compressed)
    variant: str       # clean, rotated, blurred, jpeg


def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_BOLD if bold else FONT), size)


def poster(lines: list[str], *, background: str = "#b01c2e", size: tuple[int, int] = (800, 1000)) -> Image.Image:
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    y = 120
    for line in lines:
        face = font(64 if len(line) < 16 else 44, bold=True)
        width = draw.textlength(line, font=face)
        draw.text(((size[0] - width) / 2, y), line, font=face, fill="white")
        y += face.size + 40
    draw.rectangle((40, size[1] - 140, size[0] - 40, size[1] - 60), outline="white", width=4)
    return image


def banner(line: str, *, background: str = "#1f4e9c") -> Image.Image:
    face = font(56, bold=True)
    width = int(ImageDraw.Draw(Image.new("RGB", (1, 1))).textlength(line, font=face)) + 160
    image = Image.new("RGB", (max(width, 900), 200), background)
    ImageDraw.Draw(image).text((80, 60), line, font=face, fill="#ffe14d")
    return image


def screenshot(lines: list[str]) -> Image.Image:
    """A phone chat: a header bar, then one bubble per line, alternating sides."""
    image = Image.new("RGB", (720, 240 + 110 * len(lines)), "#ece5dd")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 720, 120), fill="#075e54")
    draw.text((40, 38), CHAT_TITLE, font=font(40, bold=True), fill="white")
    face = font(34)
    y = 170
    for i, line in enumerate(lines):
        width = draw.textlength(line, font=face)
        x = 30 if i % 2 == 0 else 720 - 30 - width - 40
        draw.rounded_rectangle((x, y - 14, x + width + 40, y + 56), radius=18, fill="#ffffff" if i % 2 == 0 else "#dcf8c6")
        draw.text((x + 20, y), line, font=face, fill="#111111")
        y += 110
    return image


def degrade(image: Image.Image, variant: str, rng: random.Random) -> bytes:
    """Encode ``image`` after the named damage: clean, rotated (2-6 degrees), blurred, jpeg."""
    if variant == "rotated":
        image = image.rotate(rng.choice((-1, 1)) * rng.uniform(2, 6), expand=True, fillcolor="white",
                             resample=Image.Resampling.BICUBIC)
    elif variant == "blurred":
        image = image.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    if variant == "jpeg":
        image.save(buffer, "JPEG", quality=35)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def phrase(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def generate(count: int, *, seed: int = 17) -> list[Picture]:
    """``count`` pictures cycling through kinds and variants, with random known words."""
    rng = random.Random(seed)
    kinds, variants = ("poster", "banner", "screenshot"), ("clean", "rotated", "blurred", "jpeg")
    pictures = []
    for i in range(count):
        kind, variant = kinds[i % 3], variants[(i // 3) % 4]
        if kind == "poster":
            lines = [phrase(rng, 2).upper(), phrase(rng, 2).upper(), phrase(rng, 3).upper()]
            image = poster(lines)
        elif kind == "banner":
            lines = [phrase(rng, 4).upper()]
            image = banner(lines[0])
        else:
            lines = [phrase(rng, 4) for _ in range(rng.randint(3, 5))]
            image = screenshot(lines)
            lines = [CHAT_TITLE, *lines]
        pictures.append(Picture(kind, "\n".join(lines), degrade(image, variant, rng), variant))
    return pictures


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()

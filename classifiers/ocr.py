"""Read the words in a picture, offline on CPU, and open untrusted image files safely.

Two engines behind one small interface, measured against each other by ``benchmarks/ocr.py``
(issue 17): RapidOCR 3.x (PP-OCR detection, angle and recognition models bundled in its wheel,
run by onnxruntime) and Tesseract 5 with Debian's ``tesseract-ocr-ind``. RapidOCR is the
default: on the generated posters, banners and chat screenshots it read rotated, blurred and
JPEG-damaged text that Tesseract garbled (figures in the benchmark's docstring).

Nothing is downloaded at run time: RapidOCR is given the paths of the models inside its
package, and a missing model is an error, not a download. Lives in ``classifiers`` so that both
``classifiers.batch`` (``netra classify FILE``) and ``monitor`` (pipeline, backlog) use it.

Images are untrusted (posts, public reports): :func:`open_image` refuses decompression bombs
before decoding a pixel, truncated files and files that are not images whatever their name says,
each with a ``ImageError`` whose message says what is wrong, in Bahasa Indonesia.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from PIL import Image, ImageFile, UnidentifiedImageError

#: Largest picture decoded: 40 megapixels (a 100-megapixel "image" is a decompression bomb, not
#: a poster; phone screenshots are under 5 MP). Checked from the header before decoding.
MAX_PIXELS = 40_000_000
#: Pictures are scaled down to this longest side before OCR: text on larger ones is big enough.
MAX_SIDE = 2000
ENGINES = ("rapidocr", "tesseract")
DEFAULT_ENGINE = "rapidocr"

ImageFile.LOAD_TRUNCATED_IMAGES = False  # a truncated file is an error, never half a picture


class ImageError(ValueError):
    """A file that cannot be read as a picture; the message is for people (Bahasa Indonesia)."""


class OcrUnavailable(RuntimeError):
    """The OCR engine is not installed; the message says which command installs it."""


@dataclass(frozen=True)
class OcrResult:
    text: str                      # lines joined by "\n", reading order
    lines: tuple[str, ...] = ()
    confidence: float | None = None
    engine: str = ""
    width: int = 0
    height: int = 0


class OcrEngine(Protocol):
    name: str

    def read(self, image: Image.Image) -> OcrResult: ...


def open_image(data: bytes, *, name: str = "", max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Decode ``data`` into an RGB image, or raise ImageError saying why it cannot be read."""
    label = f"{name}: " if name else ""
    if not data:
        raise ImageError(f"{label}berkas kosong")
    try:
        with warnings.catch_warnings():
            # Our own limit (below Pillow's) is checked next, with the size in the message.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise ImageError(f"{label}gambar terlalu besar ({width}×{height} = {width * height / 1e6:.0f} "
                                 f"megapiksel; batas {max_pixels / 1e6:.0f}): ditolak sebagai bom dekompresi")
            image.load()
    except ImageError:
        raise
    except UnidentifiedImageError:
        suffix = Path(name).suffix.lower()
        hint = f" (ekstensi {suffix} tidak sesuai isinya)" if suffix else ""
        raise ImageError(f"{label}bukan berkas gambar yang dikenali{hint}") from None
    except Image.DecompressionBombError:
        raise ImageError(f"{label}gambar terlalu besar: ditolak sebagai bom dekompresi") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"{label}gambar rusak atau terpotong ({exc})") from None
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)  # animated GIF/WebP: the first frame carries the words
    return image.convert("RGB")


def _shrink(image: Image.Image) -> Image.Image:
    longest = max(image.size)
    if longest <= MAX_SIDE:
        return image
    scale = MAX_SIDE / longest
    return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                        Image.Resampling.LANCZOS)


class RapidOcrEngine:
    """PP-OCR via RapidOCR and onnxruntime, with the models shipped in the rapidocr wheel."""

    name = "rapidocr"

    def __init__(self, *, threads: int = 2, min_score: float = 0.5) -> None:
        self.threads = threads
        self.min_score = min_score
        self._engine = None
        self._lock = threading.Lock()

    def _load(self):
        if self._engine is not None:
            return self._engine
        for key in ("HF_HUB_OFFLINE", "MODELSCOPE_OFFLINE", "TRANSFORMERS_OFFLINE"):
            os.environ.setdefault(key, "1")
        try:
            import rapidocr
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise OcrUnavailable("RapidOCR belum terpasang: jalankan `pip install rapidocr onnxruntime` "
                                 f"(atau `make install`) — {exc}") from None
        models = Path(rapidocr.__file__).parent / "models"
        paths = {part: sorted(models.glob(pattern)) for part, pattern in
                 (("Det", "*det*.onnx"), ("Rec", "*rec*.onnx"), ("Cls", "*cls*.onnx"))}
        missing = [part for part, found in paths.items() if not found]
        if missing:
            raise OcrUnavailable(f"model RapidOCR tidak ada di {models} ({', '.join(missing)}); "
                                 "pasang ulang paket rapidocr — model tidak diunduh saat berjalan")
        params = {"Global.log_level": "error", "Global.text_score": self.min_score,
                  "EngineConfig.onnxruntime.intra_op_num_threads": self.threads,
                  "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                  # The default scales the SHORT side up to 736 px: a 200 px high banner became
                  # 5,000 px wide and took 4-6 s. Cap the long side instead; text stays legible.
                  "Det.limit_type": "max", "Det.limit_side_len": 1280}
        for part, found in paths.items():
            params[f"{part}.model_path"] = str(found[0])
        self._engine = RapidOCR(params=params)
        return self._engine

    def read(self, image: Image.Image) -> OcrResult:
        import numpy as np

        with self._lock:  # one onnxruntime session, used by one thread at a time
            engine = self._load()
            result = engine(np.ascontiguousarray(np.asarray(_shrink(image))[:, :, ::-1]))  # RapidOCR expects BGR like OpenCV
        lines = tuple(t.strip() for t in (result.txts or ()) if t and t.strip())
        scores = [float(s) for s in (result.scores or ())]
        return OcrResult("\n".join(lines), lines, sum(scores) / len(scores) if scores else None,
                         self.name, image.width, image.height)


class TesseractEngine:
    """Tesseract 5 from Debian (``tesseract-ocr`` + ``tesseract-ocr-ind``), run as a process."""

    name = "tesseract"

    def __init__(self, *, languages: str = "ind", binary: str = "tesseract", timeout: float = 60.0) -> None:
        self.languages = languages
        self.binary = binary
        self.timeout = timeout

    def read(self, image: Image.Image) -> OcrResult:
        if shutil.which(self.binary) is None:
            raise OcrUnavailable("Tesseract belum terpasang: jalankan `make ocr-deps` "
                                 "(apt-get install tesseract-ocr tesseract-ocr-ind)")
        buffer = io.BytesIO()
        _shrink(image).save(buffer, "PNG")
        env = {**os.environ, "OMP_THREAD_LIMIT": "2"}
        done = subprocess.run([self.binary, "stdin", "stdout", "-l", self.languages, "--psm", "3"],
                              input=buffer.getvalue(), capture_output=True, timeout=self.timeout, env=env)
        if done.returncode != 0:
            raise ImageError(f"tesseract gagal: {done.stderr.decode(errors='replace').strip()[:200]}")
        lines = tuple(line.strip() for line in done.stdout.decode("utf-8", errors="replace").splitlines()
                      if line.strip())
        return OcrResult("\n".join(lines), lines, None, self.name, image.width, image.height)


_ENGINES: dict[str, OcrEngine] = {}
_ENGINES_LOCK = threading.Lock()


def engine(name: str | None = None) -> OcrEngine:
    """The process-wide engine of that name (models load once, on first use)."""
    name = name or os.environ.get("NETRA_OCR_ENGINE") or DEFAULT_ENGINE
    if name not in ENGINES:
        raise ValueError(f"mesin OCR tidak dikenal: {name!r} (pilih {' atau '.join(ENGINES)})")
    with _ENGINES_LOCK:
        if name not in _ENGINES:
            _ENGINES[name] = RapidOcrEngine() if name == "rapidocr" else TesseractEngine()
        return _ENGINES[name]


def read_bytes(data: bytes, *, name: str = "", ocr: OcrEngine | None = None) -> OcrResult:
    """OCR of an encoded picture; ImageError when the file is not a readable, safe image."""
    return (ocr or engine()).read(open_image(data, name=name))


@dataclass
class FileResult:
    """Per-file outcome for batch use: the text, or the reason it could not be read."""
    path: str
    result: OcrResult | None = None
    error: str | None = None
    extra: dict = field(default_factory=dict)


def read_file(path: str | Path, *, ocr: OcrEngine | None = None, max_bytes: int = 25 * 1024 * 1024) -> FileResult:
    """OCR of a picture file; a missing, oversize, broken or non-image file becomes ``error``."""
    path = Path(path)
    try:
        if not path.is_file():
            return FileResult(str(path), error=f"{path.name}: berkas gambar tidak ditemukan")
        if path.stat().st_size > max_bytes:
            return FileResult(str(path), error=f"{path.name}: berkas lebih dari {max_bytes // (1024 * 1024)} MB")
        return FileResult(str(path), read_bytes(path.read_bytes(), name=path.name, ocr=ocr))
    except ImageError as exc:
        return FileResult(str(path), error=str(exc))

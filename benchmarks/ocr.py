"""OCR engines on generated pictures: character error rate, words found, time per image.

The pictures (``tests/images.py``) are posters, banners and phone chat screenshots with known
Indonesian words, each clean, rotated 2-6 degrees, blurred or JPEG-compressed (quality 35).
Both engines of ``classifiers.ocr`` read the same pictures in the same process:

- CER: Levenshtein distance between the read text and the drawn text (case-folded, whitespace
  collapsed), divided by the drawn text's length; reported per kind and overall (mean).
- words found: share of the drawn words that appear in the read text.
- time per image: wall time of ``read`` after the model is loaded (load time reported apart),
  onnxruntime limited to 2 threads, Tesseract to OMP_THREAD_LIMIT=2. The machine's load average
  is printed too: on a shared 2-core machine wall time grows with everyone else's work.

The RESULT line reports the default engine (RapidOCR) and Tesseract side by side.

Measured 2026-12-02, 60 images, on the shared 2-core machine at load average 7-9 (wall times
are inflated by everyone else's work; a 12-image run at lower load gave RapidOCR 0.26 s/image
and Tesseract 0.20 s/image):

    engine     CER    poster  banner  screenshot  rotated  words found  s/image  CPU s/image
    rapidocr   0.001  0.001   0.000   0.001       0.002    0.994        1.44     0.64
    tesseract  0.095  0.022   0.250   0.013       0.372    0.908        2.31     (child process)

RapidOCR is the default: Tesseract garbles rotated text (CER 0.37 on rotated pictures, 0.25 on
banners), which forwarded photos of posters usually are. RapidOCR's CPU time, 0.64 s per image
over its two threads, keeps it under 1 s per image on an idle 2-core machine.

    nice python benchmarks/ocr.py [--images 60] [--engines rapidocr,tesseract]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classifiers import ocr  # noqa: E402
from tests.images import generate  # noqa: E402


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(read: str, truth: str) -> float:
    truth, read = _norm(truth), _norm(read)
    return levenshtein(read, truth) / max(1, len(truth))


def words_found(read: str, truth: str) -> float:
    words = _norm(truth).split()
    seen = set(_norm(read).split())
    return sum(w in seen for w in words) / max(1, len(words))


def measure(name: str, pictures) -> dict:
    engine = ocr.RapidOcrEngine() if name == "rapidocr" else ocr.TesseractEngine()
    started = time.perf_counter()
    engine.read(ocr.open_image(pictures[0].data))  # model load + first read
    load_s = time.perf_counter() - started
    per_kind: dict[str, list[float]] = {}
    per_variant: dict[str, list[float]] = {}
    found, times, cpu = [], [], []
    for picture in pictures:
        image = ocr.open_image(picture.data)
        started, cpu_started = time.perf_counter(), time.process_time()
        result = engine.read(image)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)  # Tesseract runs in a child: not counted
        error = cer(result.text, picture.text)
        per_kind.setdefault(picture.kind, []).append(error)
        per_variant.setdefault(picture.variant, []).append(error)
        found.append(words_found(result.text, picture.text))
    return {"load_s": load_s, "cer": statistics.mean(e for v in per_kind.values() for e in v),
            "per_kind": {k: statistics.mean(v) for k, v in per_kind.items()},
            "per_variant": {k: statistics.mean(v) for k, v in per_variant.items()},
            "words": statistics.mean(found), "s_per_image": statistics.mean(times),
            "cpu_s_per_image": statistics.mean(cpu),
            "p95_s": sorted(times)[int(0.95 * (len(times) - 1))]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=60)
    parser.add_argument("--engines", default="rapidocr,tesseract")
    args = parser.parse_args()
    pictures = generate(args.images)
    figures = {}
    for name in args.engines.split(","):
        figures[name] = m = measure(name, pictures)
        print(f"{name}: load {m['load_s']:.2f} s, {m['s_per_image']:.2f} s/image (p95 {m['p95_s']:.2f}, "
              f"CPU {m['cpu_s_per_image']:.2f} s in this process), load average {os.getloadavg()[0]:.1f}, "
              f"CER {m['cer']:.3f}, words found {m['words']:.3f}")
        print("   CER per kind:    " + ", ".join(f"{k} {v:.3f}" for k, v in m["per_kind"].items()))
        print("   CER per variant: " + ", ".join(f"{k} {v:.3f}" for k, v in m["per_variant"].items()))
    parts = [f"images={len(pictures)}", f"loadavg={os.getloadavg()[0]:.1f}"]
    for name, m in figures.items():
        short = "rapid" if name == "rapidocr" else "tess"
        parts += [f"{short}_cer={m['cer']:.3f}",
                  f"{short}_cer_screenshot={m['per_kind'].get('screenshot', float('nan')):.3f}",
                  f"{short}_cer_poster={m['per_kind'].get('poster', float('nan')):.3f}",
                  f"{short}_words={m['words']:.3f}", f"{short}_s_per_image={m['s_per_image']:.2f}",
                  f"{short}_cpu_s_per_image={m['cpu_s_per_image']:.2f}",
                  f"{short}_load_s={m['load_s']:.2f}"]
    print("RESULT " + " ".join(parts))


if __name__ == "__main__":
    main()

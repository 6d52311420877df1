"""Near-copy grouping of texts: precision, recall and posts/s on 100,000 synthetic posts.

Originals are 8-40 words drawn from Indonesian election/office words plus a long tail of
synthetic words (so unrelated posts share common words, as real ones do). 5% of the posts are
copies of a randomly chosen original (some originals copied many times, like a forwarded
flyer), each damaged the way forwards are: case and punctuation changed, an emoji or URL
appended, "Fwd:" prefixed, one or two words replaced or dropped.

Measured on ``classifiers.near_duplicates`` (MinHash of words and word pairs, LSH bands,
TEXT_SIMILARITY), the code the store's grouping runs:

- precision: of the post pairs put in one group, the share that are copies of one original;
- recall: of the true copy pairs, the share put in one group;
- posts/s: signatures plus grouping, wall time, one process.

    nice python benchmarks/near_duplicates.py [--posts 100000] [--copy-share 0.05] [--seed 17]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classifiers import near_duplicates as nd  # noqa: E402
from tests.images import WORDS  # noqa: E402

EMOJI = ("🙏", "👍", "🔥", "✌️", "‼️")


def vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    syllables = ["ba", "ka", "ma", "ra", "sa", "ta", "di", "ni", "lu", "pe", "ngan", "kan", "an", "si", "ja", "wi"]
    tail = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    return list(WORDS) * 20 + sorted(tail)  # common words are frequent, the tail is long


def damage(text: str, rng: random.Random, vocab: list[str]) -> str:
    words = text.split()
    for _ in range(rng.randint(0, 2)):
        i = rng.randrange(len(words))
        if rng.random() < 0.5:
            words[i] = rng.choice(vocab)
        elif len(words) > 8:
            del words[i]
    out = " ".join(words)
    choice = rng.random()
    if choice < 0.25:
        out = out.upper()
    elif choice < 0.5:
        out = out.capitalize() + "!"
    if rng.random() < 0.3:
        out += " " + rng.choice(EMOJI)
    if rng.random() < 0.3:
        out += f" https://t.co/{rng.randrange(10**8):x}"
    if rng.random() < 0.2:
        out = "Fwd: " + out
    return out


def build(n: int, copy_share: float, rng: random.Random) -> tuple[list[str], list[int]]:
    vocab = vocabulary(rng)
    copies = int(n * copy_share)
    originals = [" ".join(rng.choice(vocab) for _ in range(rng.randint(8, 40))) for _ in range(n - copies)]
    texts, truth = list(originals), list(range(len(originals)))
    # Popular originals get many copies: a few flyers forwarded widely, most copied once or twice.
    popular = rng.sample(range(len(originals)), max(1, copies // 4))
    for _ in range(copies):
        source = rng.choice(popular) if rng.random() < 0.6 else rng.randrange(len(originals))
        texts.append(damage(originals[source], rng, vocab))
        truth.append(source)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [truth[i] for i in order]




def pair_scores(predicted: list[int | None], truth: list[int]) -> tuple[float, float]:
    """Pairwise precision and recall, counted through group-size products (no pair lists)."""
    def count(sizes) -> int:
        return sum(s * (s - 1) // 2 for s in sizes.values())
    joint = Counter((p, t) for p, t in zip(predicted, truth) if p is not None)
    together = count(joint)                         # pairs in one predicted AND one true group
    predicted_pairs = count(Counter(p for p in predicted if p is not None))
    true_pairs = count(Counter(truth))
    return together / max(1, predicted_pairs), together / max(1, true_pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--copy-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts, truth = build(args.posts, args.copy_share, rng)
    started = time.perf_counter()
    signatures: list = []
    for i in range(0, len(texts), 5000):
        signatures += nd.minhashes(texts[i:i + 5000])
    hashed = time.perf_counter()
    labels = nd.group(signatures, index=nd.TextIndex(nd.TEXT_SIMILARITY))
    elapsed = time.perf_counter() - started
    precision, recall = pair_scores(labels, truth)
    groups = sum(1 for size in Counter(l for l in labels if l is not None).values() if size > 1)
    true_groups = sum(1 for size in Counter(truth).values() if size > 1)
    skipped = sum(s is None for s in signatures)
    print(f"{len(texts)} posts, {int(args.posts * args.copy_share)} copies; {true_groups} true groups, "
          f"{groups} found; {skipped} too short to group")
    print(f"signatures {hashed - started:.2f} s, grouping {elapsed - (hashed - started):.2f} s")
    print(f"pair precision {precision:.4f}, pair recall {recall:.4f}, {len(texts) / elapsed:.0f} posts/s")
    print(f"RESULT posts={len(texts)} precision={precision:.4f} recall={recall:.4f} "
          f"posts_per_s={len(texts) / elapsed:.0f} groups={groups} true_groups={true_groups}")


if __name__ == "__main__":
    main()

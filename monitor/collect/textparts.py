"""Wording for the parts of a post that are not its own text — poll options, a shared link
card, a place — so every collector puts them into the text the same way. They are part of what
the classifier reads and of the evidence: a poll "Pilih nomor 2?" or a campaign link card is
exactly what a reviewer must see. Labels are Bahasa Indonesia because people read them."""

from __future__ import annotations

from typing import Iterable


def join_parts(*parts: str | None) -> str:
    """Non-empty parts separated by a blank line."""
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def poll_text(options: Iterable[str | None], question: str | None = None) -> str:
    """``Jajak pendapat: question`` then one ``- option`` line each; "" without options."""
    lines = [f"- {o.strip()}" for o in options if o and o.strip()]
    if not lines:
        return (f"Jajak pendapat: {question.strip()}" if question and question.strip() else "")
    head = f"Jajak pendapat: {question.strip()}" if question and question.strip() else "Jajak pendapat:"
    return "\n".join([head, *lines])


def link_card_text(url: str | None, title: str | None = None, description: str | None = None) -> str:
    """``Tautan: url`` then the card's title and description, each on its own line."""
    lines = [f"Tautan: {url.strip()}" if url and url.strip() else "",
             (title or "").strip(), (description or "").strip()]
    return "\n".join(line for line in lines if line)


def place_text(name: str | None = None, address: str | None = None,
               latitude: float | str | None = None, longitude: float | str | None = None) -> str:
    """``Lokasi: name, address (lat, lon)``; "" when nothing is known."""
    where = ", ".join(p.strip() for p in (name, address) if p and str(p).strip())
    if latitude not in (None, "") and longitude not in (None, ""):
        where = f"{where} ({latitude}, {longitude})".strip()
    return f"Lokasi: {where}" if where else ""

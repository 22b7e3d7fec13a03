"""Vietnamese text at the boundary: compose to NFC, and compare ignoring accents, case and form."""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """Compose to NFC and collapse whitespace; keyboards send both NFC and NFD."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def search_key(text: str) -> str:
    """Accent-, case- and form-insensitive key for search and duplicate checks."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())

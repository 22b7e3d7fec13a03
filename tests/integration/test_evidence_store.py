"""Evidence files kept on disk: stored under names of the store's own, with a thumbnail small
enough for a phone, and nothing outside the store's folder reachable by name."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from intake_service.results.evidence import Store


def image(kind: str = "PNG", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind)
    return buffer.getvalue()


def test_stored_files_get_names_of_ours_and_a_thumbnail_fits_a_phone(tmp_path):
    store = Store(tmp_path)
    name = store.save(image("JPEG", (2000, 1500)), "jpg")
    assert name.endswith(".jpg") and "/" not in name
    thumbnail = store.make_thumbnail(name)
    with Image.open(store.path(thumbnail)) as small:
        assert max(small.size) <= 320
    with pytest.raises(FileNotFoundError):
        store.path("../intake.db")

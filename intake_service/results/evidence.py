"""Evidence files: what a file is, judged by its content; where it is kept; its thumbnail.

The name a user gives a file is only ever shown as text. What a file is comes from
``shared.uploads`` (judged by its bytes, as review's inspections judge theirs). Files are
stored under random names of our own, below one configured folder, never executed and
never served as anything but their sniffed type.
"""

from __future__ import annotations

import os
from pathlib import Path

from PIL import Image, ImageOps

from shared import uploads
from shared.uploads import ACCEPTED, DOCUMENTS, IMAGES, MAX_PIXELS, Checked, Refused, check

__all__ = ["ACCEPTED", "DOCUMENTS", "IMAGES", "MAX_PIXELS", "Checked", "Refused", "Store", "check"]
THUMBNAIL_SIZE = (320, 320)


class Store(uploads.Store):
    """The folder evidence lives in (``DVK_EVIDENCE_DIR``), with thumbnails of its photos."""

    def make_thumbnail(self, name: str) -> str:
        """A small JPEG of an image, turned upright as the camera held it."""
        thumbnail = f"{Path(name).stem}.thumb.jpg"
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        with Image.open(self.path(name)) as image:
            small = ImageOps.exif_transpose(image)
            small.thumbnail(THUMBNAIL_SIZE)
            partial = self.root / f".{thumbnail}.part"
            small.convert("RGB").save(partial, "JPEG", quality=75)
        os.replace(partial, self.root / thumbnail)
        return thumbnail

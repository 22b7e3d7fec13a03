"""Uploaded files judged by their content: what a file is, whatever its name says.

Both services keep evidence (a unit's result report, an inspection team's findings),
so the checking lives here, and so does ``Store``: a folder of files under names of our
own. Which folder is each service's own business.
The type comes from the bytes (``filetype`` reads the signature; Pillow must be able
to read an image; an Office file must be a real OOXML package without macros).
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from PIL import Image, UnidentifiedImageError

IMAGES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
DOCUMENTS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
ACCEPTED = IMAGES | DOCUMENTS
MAX_PIXELS = 40_000_000  # a phone photo is 12-50 MP; beyond this Pillow refuses (decompression bombs)


class Refused(ValueError):
    """The file cannot be kept; ``reason`` says why: empty, too_large, type, damaged, macros."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Checked:
    content_type: str
    extension: str
    size: int
    sha256: str


def check(content: bytes, max_bytes: int) -> Checked:
    """Accept images, PDF and modern office documents, judged by their content alone."""
    if not content:
        raise Refused("empty")
    if len(content) > max_bytes:
        raise Refused("too_large")
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ACCEPTED:
        raise Refused("type")
    if kind.mime in IMAGES:
        _check_image(content)
    elif kind.extension in ("docx", "xlsx", "pptx", "odt", "ods"):
        _check_package(content)
    return Checked(kind.mime, ACCEPTED[kind.mime], len(content), hashlib.sha256(content).hexdigest())


def display_name(filename: str, extension: str) -> str:
    """The user's name for a file, without any folder, and with the extension its content has."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "file"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}.{extension}"


def _check_image(content: bytes) -> None:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise Refused("damaged") from None


def _check_package(content: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = package.namelist()
    except zipfile.BadZipFile:
        raise Refused("damaged") from None
    if any(_is_code(name.lower()) for name in names):
        raise Refused("macros")


def _is_code(name: str) -> bool:
    """Parts that carry macros or controls: VBA projects, ActiveX, OpenDocument Basic."""
    return name.endswith("vbaproject.bin") or "/activex/" in name or name.startswith("basic/")


@dataclass(frozen=True)
class Store:
    """A folder of kept files; the names inside are ours alone, never the uploader's."""

    root: Path

    def save(self, content: bytes, extension: str) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}.{extension}"
        partial = self.root / f".{name}.part"
        partial.write_bytes(content)
        os.replace(partial, self.root / name)  # never a half-written file under its real name
        return name

    def path(self, name: str) -> Path:
        path = (self.root / name).resolve()
        if path.parent != self.root.resolve():
            raise FileNotFoundError(name)
        return path

"""PDFs made from the very DOCX people edit, by LibreOffice headless, so the two say the same.

Run in the worker (a conversion takes seconds): ``soffice --headless --convert-to pdf`` in a
private profile folder of its own, so two conversions at once never share LibreOffice's lock,
and under a timeout. Debian's ``libreoffice-writer-nogui`` package provides it; without it a
conversion raises ``ConverterMissing``, which the jobs store as the reason their document failed.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

COMMANDS = ("soffice", "libreoffice")
TIMEOUT_SECONDS = 180


class ConverterMissing(RuntimeError):
    """LibreOffice is not installed where the worker runs."""


class ConversionFailed(RuntimeError):
    """LibreOffice ran but gave no PDF (or ran past its timeout)."""


def converter() -> str:
    """The LibreOffice command found on the PATH."""
    for command in COMMANDS:
        found = shutil.which(command)
        if found:
            return found
    raise ConverterMissing("LibreOffice (soffice) is not installed: install Debian's "
                           "libreoffice-writer-nogui package where the worker runs to make PDFs")


def from_docx(docx: bytes, timeout: float = TIMEOUT_SECONDS) -> bytes:
    """The PDF of a DOCX document, as LibreOffice prints it."""
    command = converter()
    with tempfile.TemporaryDirectory(prefix="dvk-pdf-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(docx)
        profile = (work / "profile").as_uri()
        try:
            done = subprocess.run(
                [command, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", str(work), str(source)],
                capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise ConversionFailed(f"LibreOffice did not finish within {timeout:g} s") from None
        result = work / "document.pdf"
        if not result.is_file():
            said = (done.stderr or done.stdout).decode(errors="replace").strip()
            raise ConversionFailed(f"LibreOffice made no PDF (exit {done.returncode}): {said}")
        return result.read_bytes()

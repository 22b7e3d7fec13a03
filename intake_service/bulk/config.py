"""The bulk import's settings, read from the environment with embedded defaults.

Kept beside the feature rather than in ``shared.settings``: only intake's import
pages and its job read them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from shared.settings import Settings


@dataclass(frozen=True)
class ImportSettings:
    directory: Path  # where uploaded workbooks wait for the job


def from_env(settings: Settings, environ: Mapping[str, str]) -> ImportSettings:
    """Read ``DVK_IMPORT_DIR`` (default ``<data dir>/imports``)."""
    env = environ
    directory = env.get("DVK_IMPORT_DIR") or str(settings.data_dir / "imports")
    return ImportSettings(directory=Path(directory).resolve())

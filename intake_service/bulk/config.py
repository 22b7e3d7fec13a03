"""The bulk import's settings, read from the environment with embedded defaults.

Kept beside the feature rather than in ``shared.settings``: only intake's import
pages and its job read them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from shared.settings import Settings


@dataclass(frozen=True)
class ImportSettings:
    directory: Path  # where uploaded workbooks wait for the job
    queue: str  # the rq queue the job goes to


def from_env(settings: Settings, environ: Mapping[str, str] | None = None) -> ImportSettings:
    """Read ``DVK_IMPORT_DIR`` (default ``<data dir>/imports``) and ``DVK_IMPORT_QUEUE`` (``default``)."""
    env = os.environ if environ is None else environ
    directory = env.get("DVK_IMPORT_DIR") or str(settings.data_dir / "imports")
    return ImportSettings(directory=Path(directory).resolve(),
                          queue=env.get("DVK_IMPORT_QUEUE") or "default")

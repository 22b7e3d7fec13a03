"""The random part of an inspection plan: a share of approved models, stratified and reproducible.

The rule, as the committee reads it:

- The population is the district's approved registrations decided within the plan's
  dates, less the models already on the plan (nominated or added by hand).
- Models are grouped into strata by commune × field. Each non-empty stratum gets
  ``ceil(share × its size)`` models, so every stratum with a model is represented
  (a stratum of 3 at 10 % still gives 1). The sample is therefore a little larger
  than ``share × population`` whenever strata are small; that is deliberate.
- Within a stratum the models are drawn without replacement by a random generator
  seeded with the plan's recorded seed and the stratum's name. The same seed and the
  same population always give the same sample, and a stratum's draw does not change
  when another stratum gains or loses a model.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

DEFAULT_SHARE = Fraction(1, 10)


@dataclass(frozen=True)
class Candidate:
    item_id: int
    commune_code: str
    field: str


def strata(population: Iterable[Candidate]) -> dict[tuple[str, str], list[int]]:
    """The population grouped by (commune, field), each stratum's ids in ascending order."""
    grouped: dict[tuple[str, str], list[int]] = defaultdict(list)
    for candidate in population:
        grouped[(candidate.commune_code, candidate.field)].append(candidate.item_id)
    return {key: sorted(set(ids)) for key, ids in sorted(grouped.items())}


def stratum_size(size: int, share: Fraction) -> int:
    """How many of a stratum of ``size`` are drawn: the share rounded up, at most all."""
    return min(size, math.ceil(share * size)) if size and share > 0 else 0


def draw(population: Iterable[Candidate], share: Fraction, seed: int) -> list[int]:
    """The sampled item ids, in ascending order."""
    if not 0 <= share <= 1:
        raise ValueError(f"a share is between 0 and 1, got {share}")
    chosen: list[int] = []
    for (commune, field), ids in strata(population).items():
        generator = random.Random(f"{seed}:{commune}:{field}")
        chosen.extend(generator.sample(ids, stratum_size(len(ids), share)))
    return sorted(chosen)


def parse_share(text: str | None) -> Fraction:
    """``"0.1"``, ``"10%"`` or ``"1/10"`` as an exact share in (0, 1]; empty means 10 %."""
    if text is None or not text.strip():
        return DEFAULT_SHARE
    text = text.strip()
    share = Fraction(text.removesuffix("%")) / (100 if text.endswith("%") else 1)
    if not 0 < share <= 1:
        raise ValueError(f"DVK_INSPECTION_SAMPLE_SHARE must be in (0, 1], got {text!r}")
    return share

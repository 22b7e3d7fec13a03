"""Configurable lists shown in forms: fields (lĩnh vực) and subject types."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

FIELDS = {
    "economy": _l("Economy"),
    "culture_society": _l("Culture and society"),
    "new_rural": _l("New rural development"),
    "defense_security": _l("Defence and security"),
    "political_system": _l("Building the political system"),
}

SUBJECT_TYPES = {
    "collective": _l("Collective"),
    "individual": _l("Individual"),
}

KINDS = {
    "registration": _l("Registration"),
    "amendment": _l("Amendment"),
    "result_report": _l("Result report"),
}

# How people name a reporting period, by its kind (DVK_PERIOD_KINDS may add kinds).
PERIOD_LABELS = {
    "H1": _l("First half of %(year)s"),
    "FY": _l("Full year %(year)s"),
}


def period_label(kind: str, year: int) -> str:
    """'6 tháng đầu năm 2024': a period as people name it; an unlisted kind shows its code."""
    template = PERIOD_LABELS.get(kind)
    return str(template) % {"year": year} if template else f"{kind} {year}"


STAGES = {
    "commune": _l("Commune"),
    "district": _l("District"),
    "committee": _l("Steering committee"),
    "province": _l("Province"),
}

STATUSES = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "in_review": _l("In review"),
    "approved": _l("Approved"),
    "returned": _l("Returned for changes"),
    "rejected": _l("Rejected"),
    "withdrawn": _l("Withdrawn"),
}

# What a registration carries beyond its name, field, subject type and commune, in the order
# the form asks for it and the pages show it (the same labels at intake and at review).
REGISTRATION_DETAILS = {
    "unit_name": _l("Owning unit"),
    "person_name": _l("Full name of the person"),
    "villages": _l("Villages"),
    "situation": _l("Current situation and rationale"),
    "objectives": _l("Objectives and measurable targets"),
    "activities": _l("Activities and solutions"),
    "beneficiaries": _l("Beneficiaries"),
    "forces": _l("Implementing forces"),
    "funding_vnd": _l("Funding (VND)"),
    "labour_days": _l("Labour days"),
    "timeline": _l("Timeline"),
    "expected_outputs": _l("Expected outputs"),
    "sustainability": _l("Sustainability and replicability"),
}

# What an amendment may change on an approved model: its name, its field, its targets.
AMENDABLE = {
    "title": _l("Name of the model"),
    "field": _l("Field"),
    "objectives": _l("Objectives and measurable targets"),
}


@dataclass(frozen=True)
class Indicator:
    """One standard figure of a result report: what it counts, in what unit, how finely."""

    label: object
    unit: str
    decimals: int
    maximum: int


# The standard indicators of a result report, in the order the form asks for them.
INDICATORS = {
    "money_vnd": Indicator(_l("Money mobilised"), "đ", 0, 10**15),
    "labour_days": Indicator(_l("Labour days contributed"), _l("days"), 0, 10**9),
    "land_m2": Indicator(_l("Land donated"), "m²", 1, 10**9),
    "road_km": Indicator(_l("Road built or upgraded"), "km", 2, 10**6),
    "households": Indicator(_l("Households helped"), _l("households"), 0, 10**8),
    "participants": Indicator(_l("Participants"), _l("people"), 0, 10**8),
}

# How an inspection team concluded on a model it checked on site (events.INSPECTION_OUTCOMES).
INSPECTION_OUTCOMES = {
    "verified": _l("Verified"),
    "partly_verified": _l("Partly verified"),
    "not_verified": _l("Not verified"),
}

# Where an award nomination stands (review's nominations, mirrored by intake).
NOMINATION_STATUSES = {
    "proposed": _l("Proposed"),
    "awaiting_verification": _l("Awaiting verification"),
    "verified": _l("Verified"),
    "submitted": _l("Submitted for decision"),
    "decided": _l("Decided"),
    "dropped": _l("Dropped"),
}

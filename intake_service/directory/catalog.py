"""Configurable lists of the directory, with their labels in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LEVELS = {
    "province": _l("Province"),
    "district": _l("District"),
    "commune": _l("Commune"),
    "township": _l("Township"),
    "village": _l("Village"),
}

UNIT_KINDS = {
    "party_cell": _l("Party cell"),
    "fatherland_front": _l("Fatherland Front"),
    "womens_union": _l("Women's Union"),
    "farmers_union": _l("Farmers' Union"),
    "youth_union": _l("Youth Union"),
    "veterans": _l("Veterans' Association"),
    "school": _l("School"),
    "border_post": _l("Border post"),
    "police": _l("Police"),
}

ROLE_LABELS = {
    "submitter": _l("Unit submitter"),
    "commune_reviewer": _l("Commune reviewer"),
    "district_reviewer": _l("District reviewer"),
    "committee_member": _l("Committee member"),
    "committee_chair": _l("Committee chair"),
    "province_reviewer": _l("Province reviewer"),
    "inspector": _l("Inspection team member"),
    "viewer": _l("Leadership (read only)"),
    "admin": _l("Administrator"),
}

"""Configurable lists of the directory, with their labels in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shared.identity import Role

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
    Role.SUBMITTER: _l("Unit submitter"),
    Role.COMMUNE_REVIEWER: _l("Commune reviewer"),
    Role.DISTRICT_REVIEWER: _l("District reviewer"),
    Role.COMMITTEE_MEMBER: _l("Committee member"),
    Role.COMMITTEE_CHAIR: _l("Committee chair"),
    Role.PROVINCE_REVIEWER: _l("Province reviewer"),
    Role.INSPECTOR: _l("Inspection team member"),
    Role.VIEWER: _l("Leadership (read only)"),
    Role.ADMIN: _l("Administrator"),
}

"""Configurable lists shown in forms: fields (lĩnh vực) and subject types."""

from __future__ import annotations

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

"""What the report says, as English msgids shown in the reader's language (Vietnamese by default)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shared.catalog import INSPECTION_OUTCOMES, NOMINATION_STATUSES  # noqa: F401 - shown by the report too

# Fields as a sentence names them: "kinh tế: 24 mô hình, nông thôn mới: 23 mô hình".
FIELD_IN_TEXT = {
    "economy": _l("economy"),
    "culture_society": _l("culture and society"),
    "new_rural": _l("new rural areas"),
    "defense_security": _l("defence and security"),
    "political_system": _l("building the political system"),
}
HOLDERS = {"collective": _l("Units"), "individual": _l("Individuals")}
STATUS_COLUMNS = {
    "approved": _l("Approved"),
    "returned": _l("Returned for changes"),
    "pending": _l("Waiting for review"),
    "overdue": _l("of which overdue"),
    "rejected": _l("Rejected"),
}
KIND_ROWS = {"registration": _l("Model registrations"), "result_report": _l("Result reports")}
EXPORT_STATUSES = {
    "queued": _l("Waiting to start"),
    "running": _l("Being written"),
    "done": _l("Ready"),
    "failed": _l("Failed"),
}
FORMAT_NAMES = {"xlsx": _l("Tables (XLSX)"), "docx": _l("Report document (DOCX)"), "pdf": "PDF"}
COUNTRY_NAME = _l("The whole country")
# Why an export failed, stored as a key and told in the reader's language.
EXPORT_ERRORS = {
    "broke_off": _l("The export broke off on our side; please start it again."),
    "not_started": _l("The export could not be started. Please try again in a few minutes."),
    "no_pdf_converter": _l("PDFs cannot be made yet: LibreOffice is not installed where exports are "
                           "written. Please tell the administrator; the DOCX can be downloaded meanwhile."),
}

"""The report's tables as an XLSX workbook (numbers stay numbers), and as the cells of the
DOCX's tables (``document``, whose print is the report's PDF).

Written inside an app context with the export's language chosen (``jobs``), so
every label is in the reader's language. ``progress(done, total)`` moves the bar.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from flask_babel import gettext as _
from openpyxl import Workbook

from intake_service.periods.texts import ITEM_LABELS
from intake_service.periods.texts import STATUS_LABELS as DUE_LABELS
from intake_service.reporting import domain, texts
from intake_service.reporting.services import Report
from shared import spreadsheets
from shared.catalog import FIELDS, INDICATORS, SUBJECT_TYPES, period_label
from shared.web.formatting import vn_date, vn_number

Progress = Callable[[int, int], None]
EVERY = 500  # rows written between two moves of the progress bar


def title_of(report: Report) -> str:
    where = report.org_name or str(texts.COUNTRY_NAME)
    return f"{where} — {period_label(report.period.kind, report.period.year)}"


def registered_header() -> list[str]:
    return [_("Subject type"), _("Units / people"), _("Models"),
            *(str(FIELDS[f]) for f in domain.FIELD_CODES)]


def registered_lines(registered: domain.Registered) -> list[list]:
    """The seed's section III.2 table: one line per subject type and a total line."""
    lines = [[str(SUBJECT_TYPES[s]), c.holders, c.models, *(c.by_field[f] for f in domain.FIELD_CODES)]
             for s, c in registered.by_subject.items()]
    lines.append([_("Total"), sum(c.holders for c in registered.by_subject.values()), registered.total,
                  *(registered.field_total(f) for f in domain.FIELD_CODES)])
    return lines


def row_header() -> list[str]:
    return [_("Commune"), _("Units"), _("Collective models"), _("Individuals"), _("Individual models"),
            _("Models"), *(str(FIELDS[f]) for f in domain.FIELD_CODES)]


def row_line(row) -> list:
    collective, individual = row.registered.by_subject["collective"], row.registered.by_subject["individual"]
    name = row.name if not row.became else f"{row.name} (→ {row.became})"
    return [name, collective.holders, collective.models, individual.holders, individual.models,
            row.registered.total, *(row.registered.field_total(f) for f in domain.FIELD_CODES)]


def contribution_header() -> list[str]:
    return [_("Field"), *(f"{i.label} ({i.unit})" for i in INDICATORS.values())]


def contribution_lines(report: Report) -> list[list]:
    lines = [[str(FIELDS[f]), *(report.contributions_by_field[f][c] for c in INDICATORS)]
             for f in domain.FIELD_CODES]
    lines.append([_("Total"), *(report.contributions[c] for c in INDICATORS)])
    return lines


def status_header() -> list[str]:
    return [_("Kind"), *(str(label) for label in texts.STATUS_COLUMNS.values()), _("Total")]


def status_lines(report: Report) -> list[list]:
    return [[str(label), *(getattr(report.status.get(kind, domain.StatusRow()), column)
                           for column in texts.STATUS_COLUMNS),
             report.status.get(kind, domain.StatusRow()).total]
            for kind, label in texts.KIND_ROWS.items()]


def comparison_header(report: Report) -> list[str]:
    before = period_label(report.previous.kind, report.previous.year) if report.previous else "—"
    return ["", period_label(report.period.kind, report.period.year), before, _("Change")]


def comparison_lines(report: Report) -> list[list]:
    names = {"total": _("Models registered"), "collective": _("Collective models"),
             "individual": _("Individual models"), "holders:collective": _("Units"),
             "holders:individual": _("Individuals"), **{f: str(FIELDS[f]) for f in domain.FIELD_CODES}}
    return [[names[key], delta.now, delta.before, delta.change] for key, delta in report.deltas.items()]


def due_lines(report: Report) -> list[list]:
    return [[unit.name, unit.scope, str(ITEM_LABELS[item]), str(DUE_LABELS[status]), vn_date(day)]
            for unit, items in report.dues for item, (status, day) in items.items()]


def xlsx(report: Report, progress: Progress) -> bytes:
    """Every table of the report, one sheet each, as a workbook people can sum and filter."""
    book = Workbook(write_only=True)
    total = len(report.rows) + len(report.dues) + 6
    done = 0

    def sheet(name: str, header: list, lines) -> None:
        nonlocal done
        ws = book.create_sheet(name[:31])
        ws.append([title_of(report)])
        ws.append(header)
        for line in lines:
            ws.append(spreadsheets.row(ws, line))  # figures stay exact numbers, names stay text
            done += 1
            if done % EVERY == 0:
                progress(done, total)

    sheet(_("Models registered"), registered_header(), registered_lines(report.registered))
    sheet(_("By commune"), row_header(), (row_line(r) for r in report.rows))
    sheet(_("Contributions"), contribution_header(), contribution_lines(report))
    sheet(_("Review status"), status_header(), status_lines(report))
    sheet(_("Comparison"), comparison_header(report), comparison_lines(report))
    sheet(_("Timeliness"), [_("Unit"), _("Commune"), _("What is due"), _("Status"), _("Sent on")],
          due_lines(report))
    out = io.BytesIO()
    book.save(out)
    progress(total, total)
    return out.getvalue()


def number_cells(lines: list[list]) -> list[list[str]]:
    """Table cells as text, numbers the Vietnamese way (1.139.000.000; 1,5)."""
    return [[vn_number(v) if isinstance(v, int | float) or hasattr(v, "quantize") else str(v or "")
             for v in line] for line in lines]


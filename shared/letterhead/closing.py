"""The end of an official document: "Nơi nhận" on the left, the signing block on the right."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm

from shared.letterhead.bodies import Signer
from shared.letterhead.cells import layout_table, line

WIDTHS = (Mm(80), Mm(85))
PAIR = (Mm(82), Mm(83))
SIGNING_SPACE = 4  # empty lines left for the signature and the seal


def recipients_and_signer(document, recipients: tuple[str, ...], signer: Signer,
                          note: str = "") -> None:
    """'Nơi nhận:' and its list beside the signer's block (authority, title, space, name)."""
    table = layout_table(document, WIDTHS)
    left, right = table.rows[0].cells
    recipients_in(left, recipients)
    signer_in(right, signer, note)


def recipients_in(cell, recipients: tuple[str, ...]) -> None:
    line(cell, "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    for number, name in enumerate(recipients, start=1):
        ending = "" if name.endswith((".", ",", ";")) else ("." if number == len(recipients) else ",")
        line(cell, f"- {name}{ending}", 11, align=WD_ALIGN_PARAGRAPH.LEFT)


def signer_in(cell, signer: Signer, note: str = "", first: bool = True) -> None:
    if signer.authority:
        line(cell, signer.authority, 14, bold=True, first=first)
        first = False
    for text in signer.title.split("\n"):
        line(cell, text, 14, bold=text != "Kiêm", first=first)
        first = False
    if note:
        line(cell, note, 12, italic=True)
    for _ in range(SIGNING_SPACE):
        line(cell, "", 14)
    line(cell, signer.name, 14, bold=True)


def two_signers(document, left: Signer, right: Signer, note: str = "") -> None:
    """Two signing blocks side by side, as minutes are signed (secretary and chair)."""
    table = layout_table(document, PAIR)
    one, two = table.rows[0].cells
    signer_in(one, left, note)
    signer_in(two, right, note)


def recipients(document, names: tuple[str, ...]) -> None:
    """'Nơi nhận:' and its list on their own, below signatures set side by side."""
    table = layout_table(document, WIDTHS)
    recipients_in(table.rows[0].cells[0], names)

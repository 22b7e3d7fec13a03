"""Reading official documents as a clerk checks them: a DOCX's pages, heading and closing, and
where a PDF prints its texts."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

EMU_PER_MM = 36000
A4_POINTS = (595.3, 841.9)


def mm(length) -> float:
    return round(length / EMU_PER_MM, 1)


def opened(data: bytes):
    return Document(io.BytesIO(data))


def page_and_margins(section) -> dict[str, float]:
    return {"width": mm(section.page_width), "height": mm(section.page_height),
            "top": mm(section.top_margin), "bottom": mm(section.bottom_margin),
            "left": mm(section.left_margin), "right": mm(section.right_margin)}


def lines(cell) -> list[str]:
    """A layout cell's lines, the empty ones left out."""
    return [p.text for p in cell.paragraphs if p.text.strip()]


def heading_of(table) -> tuple[list[str], list[str]]:
    """The left and right columns of a heading table."""
    left, right = table.rows[0].cells
    return lines(left), lines(right)


def borderless(table) -> bool:
    props = table._tbl.tblPr
    return props.find(qn("w:tblBorders")) is None and (table.style is None or "Grid" not in table.style.name)


def headings(document) -> list:
    """Every heading table of a DOCX (a bundle has one per document)."""
    return [t for t in document.tables if borderless(t) and len(t.columns) == 2
            and any(text in t.rows[0].cells[1].text for text in ("ĐẢNG CỘNG SẢN", "CỘNG HÒA XÃ HỘI"))]


def closings(document) -> list[tuple[list[str], list[str]]]:
    """Every 'Nơi nhận' table: its recipients' column and its signer's column."""
    return [heading_of(t) for t in document.tables
            if borderless(t) and t.rows[0].cells[0].text.startswith("Nơi nhận:")]


def numbers_pages_from_the_second(section) -> bool:
    """The section's first page has a header of its own without a PAGE field; the others' has one."""
    def has_page_field(header) -> bool:
        return any(f.get(qn("w:instr")).strip() == "PAGE" for f in header._element.iter(qn("w:fldSimple")))

    return (section.different_first_page_header_footer and has_page_field(section.header)
            and not has_page_field(section.first_page_header))


def restarts_numbering(section) -> bool:
    numbering = section._sectPr.find(qn("w:pgNumType"))
    return numbering is not None and numbering.get(qn("w:start")) == "1"


def pdf_pages(data: bytes) -> list:
    return PdfReader(io.BytesIO(data)).pages


def size_of(pdf_page) -> tuple[float, float]:
    return round(float(pdf_page.mediabox.width), 1), round(float(pdf_page.mediabox.height), 1)


def placed_texts(pdf_page) -> list[tuple[str, float, float]]:
    """Each piece of text on a PDF page with where it starts (x from the left, y from the bottom, pt)."""
    found = []

    def visit(text, cm, tm, _font, _size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y))

    pdf_page.extract_text(visitor_text=visit)
    return found


def where(pdf_page, text: str) -> tuple[float, float]:
    """Where the first piece of text starting with ``text`` is printed."""
    return next((x, y) for found, x, y in placed_texts(pdf_page) if found.startswith(text))


def words_of(document) -> set[str]:
    """Every word a DOCX writes, in its paragraphs and its tables' cells."""
    cells = [cell for table in document.tables for row in table.rows for cell in row.cells]
    paragraphs = [*document.paragraphs, *(p for cell in cells for p in cell.paragraphs)]
    texts = [p.text for p in paragraphs] + [run.text for p in paragraphs for run in p.runs]
    return {word for text in texts for word in text.split()}


def broken_words(pages, document) -> set[str]:
    """What a PDF prints that is not a whole word of its DOCX: a word broken across two lines."""
    words = words_of(document)
    return {token for page in pages for text, _x, _y in placed_texts(page) for token in text.split()
            if token not in words and any(character.isalpha() for character in token)}


def last_half_past_eleven_utc() -> datetime:
    """The latest 23:30 UTC that has passed: 06:30 of the next day in Vietnam."""
    now = datetime.now(UTC)
    moment = now.replace(hour=23, minute=30, second=0, microsecond=0)
    return moment if moment <= now else moment - timedelta(days=1)


def certificate_file(folder, common_name: str, passphrase: bytes) -> tuple[str, bytes]:
    """A self-signed signing certificate and its key as a PKCS#12 file, as an issuing body's
    administrator would be given one; the file's path and the certificate (DER)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
                   .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True,
                                                key_encipherment=False, data_encipherment=False,
                                                key_agreement=False, key_cert_sign=True, crl_sign=False,
                                                encipher_only=False, decipher_only=False), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    data = pkcs12.serialize_key_and_certificates(
        b"signer", key, certificate, None, serialization.BestAvailableEncryption(passphrase))
    path = folder / "signer.p12"
    path.write_bytes(data)
    return str(path), certificate.public_bytes(serialization.Encoding.DER)


def signatures_of(pdf: bytes, trusted_der: bytes) -> list:
    """Each signature of a PDF, validated against the one trusted certificate."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from asn1crypto import x509 as asn1_x509
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext

        reader = PdfFileReader(io.BytesIO(pdf))
        trusted = asn1_x509.Certificate.load(trusted_der)
        return [validate_pdf_signature(signature, ValidationContext(trust_roots=[trusted]))
                for signature in reader.embedded_signatures]

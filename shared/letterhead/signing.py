"""Digital signatures: a PDF signed with its issuing body's certificate (PKCS#12), by pyHanko.

The certificate is the administrator's: a PKCS#12 file named in the body's configuration
(``"certificate": {"pkcs12": "<file>", "passphrase": "..."}`` in ``DVK_ISSUING_BODIES``). The
signature is an incremental update, so the signed PDF shows exactly what LibreOffice printed.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from shared.letterhead.bodies import IssuingBody

FIELD = "ChuKySo"  # the signature field's name in the PDF


class SigningFailed(RuntimeError):
    """The body's certificate could not be read or used."""


def _pyhanko():
    """pyHanko's signer and writer; imported on first use, quietly (it imports DSA support that
    the cryptography library warns about)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
    return signers, IncrementalPdfFileWriter


def sign(pdf: bytes, body: IssuingBody, reason: str) -> bytes:
    """``pdf`` signed with ``body``'s certificate; unchanged when the body has none."""
    if not body.certificate:
        return pdf
    signers, writer = _pyhanko()
    try:
        pkcs12 = Path(body.certificate).read_bytes()
        signer = signers.SimpleSigner.load_pkcs12_data(
            pkcs12, other_certs=(), passphrase=body.certificate_passphrase.encode() or None)
    except (OSError, ValueError) as error:
        raise SigningFailed(f"the certificate of {body.code!r} cannot be used: {error}") from None
    meta = signers.PdfSignatureMetadata(field_name=FIELD, reason=reason, location=body.place,
                                        name=body.signer.name or None)
    out = signers.sign_pdf(writer(io.BytesIO(pdf)), meta, signer=signer)
    return out.getvalue()

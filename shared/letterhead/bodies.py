"""Who issues a document: issuing bodies, their symbols, layouts, signers and recipients.

Configuration, read from ``DVK_ISSUING_BODIES`` (JSON; unset: ``DEFAULTS``). A list of bodies,
each ``{"code", "layout": "party"|"state", "parent", "name", "symbol", "place", "signer",
"signers", "recipients", "org"}``: ``org`` (optional) is the org unit the body is for, a body
without one serves every unit; ``{PLACE}`` and ``{place}`` in ``parent``, ``name`` and ``place``
become the unit's name in capitals or as written ("Con Cuông"). ``signer`` is
``{"authority": "TM. BAN CHỈ ĐẠO", "title": "TRƯỞNG BAN", "name": ""}``; ``signers`` and
``recipients`` are keyed by document (``report``, ``minutes``, ``request``, ``achievements``,
``*`` for any other). ``certificate`` (optional), ``{"pkcs12": "<file>", "passphrase": "..."}``,
signs the body's PDFs (``signing``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from shared.letterhead.wording import LAYOUTS, PARTY, STATE, place_of

STEERING_COMMITTEE, PEOPLES_COMMITTEE = "steering_committee", "peoples_committee"


@dataclass(frozen=True)
class Signer:
    authority: str = ""  # "TM. BAN CHỈ ĐẠO", "KT. CHỦ TỊCH", or nothing
    title: str = ""  # "TRƯỞNG BAN"; lines may be split with "\n"
    name: str = ""


@dataclass(frozen=True)
class IssuingBody:
    code: str
    layout: str
    name: str
    symbol: str
    parent: str = ""
    place: str = "{place}"
    org: str | None = None
    signer: Signer = Signer()
    signers: Mapping[str, Signer] = field(default_factory=dict)
    recipients: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    certificate: str = ""  # a PKCS#12 file its PDFs are signed with (``signing``); none: unsigned
    certificate_passphrase: str = field(default="", repr=False)

    def signer_of(self, document: str) -> Signer:
        return self.signers.get(document) or self.signers.get("*") or self.signer

    def recipients_of(self, document: str) -> tuple[str, ...]:
        return self.recipients.get(document) or self.recipients.get("*") or (f"Lưu {self.symbol}.",)

    def for_unit(self, org_name: str) -> IssuingBody:
        """This body with ``{PLACE}``/``{place}`` filled in from a unit's name."""
        place = place_of(org_name)

        def filled(text: str) -> str:
            return text.replace("{PLACE}", place.upper()).replace("{place}", place)

        return replace(self, parent=filled(self.parent), name=filled(self.name), place=filled(self.place))


DEFAULTS = [
    {"code": STEERING_COMMITTEE, "layout": PARTY, "parent": "HUYỆN ỦY {PLACE}",
     "name": "BAN CHỈ ĐẠO PHONG TRÀO THI ĐUA “DÂN VẬN KHÉO”", "symbol": "BCĐ",
     "signer": {"authority": "TM. BAN CHỈ ĐẠO", "title": "TRƯỞNG BAN"},
     "signers": {"report": {"title": "PHÓ BÍ THƯ THƯỜNG TRỰC\nKiêm\nTRƯỞNG BAN CHỈ ĐẠO"}},
     "recipients": {
         "report": ["BCĐ phong trào thi đua DVK tỉnh (b/c)", "Ban Dân vận Tỉnh ủy (b/c)",
                    "TT Huyện ủy, HĐND, UBND huyện", "Các Ban XĐĐ, UBKT, Văn phòng Huyện ủy",
                    "Các cơ quan đơn vị trên địa bàn huyện", "MTTQ và các tổ chức CT-XH huyện",
                    "Các tổ chức cơ sở Đảng trực thuộc", "Lưu BCĐ."],
         "request": ["Như trên", "Lưu BCĐ."],
         "minutes": ["Thành viên Ban Chỉ đạo", "Lưu BCĐ."]}},
    {"code": PEOPLES_COMMITTEE, "layout": STATE, "parent": "ỦY BAN NHÂN DÂN",
     "name": "HUYỆN {PLACE}", "symbol": "UBND",
     "signer": {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH"},
     "recipients": {"*": ["Như trên", "Lưu: VT."]}},
]


class BodiesError(ValueError):
    """The issuing bodies' configuration is not what ``DVK_ISSUING_BODIES`` takes."""


def from_environ(environ: Mapping[str, str]) -> tuple[IssuingBody, ...]:
    """The configured issuing bodies (``DVK_ISSUING_BODIES``), else the defaults."""
    text = environ.get("DVK_ISSUING_BODIES")
    return from_json(text) if text else from_list(DEFAULTS)


def from_json(text: str) -> tuple[IssuingBody, ...]:
    try:
        found = json.loads(text)
    except json.JSONDecodeError as error:
        raise BodiesError(f"not JSON: {error}") from None
    return from_list(found)


def from_list(found) -> tuple[IssuingBody, ...]:
    if not isinstance(found, list) or not found:
        raise BodiesError("expected a non-empty list of issuing bodies")
    bodies = tuple(_body(entry) for entry in found)
    if STEERING_COMMITTEE not in {b.code for b in bodies if b.org is None}:
        raise BodiesError(f"a {STEERING_COMMITTEE!r} body for every unit (without \"org\") is needed")
    return bodies


def _body(entry) -> IssuingBody:
    if not isinstance(entry, dict):
        raise BodiesError(f"an issuing body is an object, not {entry!r}")
    missing = [key for key in ("code", "layout", "name", "symbol") if not entry.get(key)]
    if missing:
        raise BodiesError(f"issuing body {entry.get('code', '?')!r} lacks {', '.join(missing)}")
    if entry["layout"] not in LAYOUTS:
        raise BodiesError(f"layout {entry['layout']!r} is not one of {', '.join(LAYOUTS)}")
    return IssuingBody(
        code=entry["code"], layout=entry["layout"], name=entry["name"], symbol=entry["symbol"],
        parent=entry.get("parent", ""), place=entry.get("place", "{place}"), org=entry.get("org"),
        signer=_signer(entry.get("signer") or {}),
        signers={key: _signer(value) for key, value in (entry.get("signers") or {}).items()},
        recipients={key: tuple(map(str, value)) for key, value in (entry.get("recipients") or {}).items()},
        **_certificate(entry.get("certificate")))


def _certificate(entry) -> dict[str, str]:
    if entry is None:
        return {}
    if not isinstance(entry, dict) or not entry.get("pkcs12"):
        raise BodiesError("a certificate is {\"pkcs12\": \"<file>\", \"passphrase\": \"...\"}")
    return {"certificate": str(entry["pkcs12"]), "certificate_passphrase": str(entry.get("passphrase", ""))}


def _signer(entry) -> Signer:
    if not isinstance(entry, dict):
        raise BodiesError(f"a signer is an object, not {entry!r}")
    return Signer(authority=entry.get("authority", ""), title=entry.get("title", ""),
                  name=entry.get("name", ""))


def choose(bodies: tuple[IssuingBody, ...], code: str, org_code: str, org_name: str) -> IssuingBody:
    """The body ``code`` of a unit: the one configured for it, else the one for every unit."""
    own = [b for b in bodies if b.code == code and b.org == org_code]
    every = [b for b in bodies if b.code == code and b.org is None]
    if not own and not every:
        every = [b for b in from_list(DEFAULTS) if b.code == code]
    if not own and not every:
        raise BodiesError(f"no issuing body {code!r}")
    return (own or every)[0].for_unit(org_name)


def default(code: str = STEERING_COMMITTEE, org_name: str = "") -> IssuingBody:
    """A default body, for a unit's name (documents built without configuration)."""
    return choose(from_list(DEFAULTS), code, "", org_name)

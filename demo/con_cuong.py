"""Con Cuông district as of the first half of 2024: the data the demo enters through the services.

The figures are the seed report's (Báo cáo số 02-BC/BCĐ, 10/6/2024): 177 models registered;
collective, 27 units with 100 models (economy 24, culture and society 28, new rural 23, defence
and security 14, political system 11); individual, 73 people with 77 models (34, 15, 16, 6, 6);
mobilised for new-rural work 1.139.000.000 đ, 8.524 labour days, 9.952 m² of land, 569 km of road.
The district has 13 communes and 115 villages; the steering committee has 20 members.

Everything else is invented and deterministic: village, unit and model names, every person's
name (no real official is named), who registered what, which items reviewers return, how the
committee votes. The org tree's communes and merges are ``intake_service.directory.con_cuong``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from intake_service.directory import con_cuong as tree
from intake_service.directory.domain import OrgUnitState
from intake_service.manage import DEMO_PASSWORD, DEMO_USERS

PASSWORD = DEMO_PASSWORD
DISTRICT = tree.DISTRICT_CODE
PERIOD = {"kind": "H1", "year": 2024, "due_items": ["registrations", "reports"],
          "opens_on": "2024-01-01", "deadline": "2024-06-10"}

# ---- the seed's figures: what the reports must show ---------------------------------------

FIELDS = ("economy", "culture_society", "new_rural", "defense_security", "political_system")
MODELS_BY_FIELD = {
    "collective": dict(zip(FIELDS, (24, 28, 23, 14, 11), strict=True)),
    "individual": dict(zip(FIELDS, (34, 15, 16, 6, 6), strict=True)),
}
SUBJECTS = {"collective": 27, "individual": 73}  # distinct units; distinct people
TOTAL_MODELS = 177
CONTRIBUTIONS = {"money_vnd": Decimal(1_139_000_000), "labour_days": Decimal(8_524),
                 "land_m2": Decimal(9_952), "road_km": Decimal(569)}
VILLAGE_TOTAL = 115
COMMITTEE_SIZE = 20

# ---- villages -----------------------------------------------------------------------------

VILLAGE_COUNTS = {
    "tt-con-cuong": 8, "binh-chuan": 8, "bong-khe": 9, "cam-lam": 8, "chau-khe": 10,
    "chi-khe": 10, "don-phuc": 9, "lang-khe": 8, "luc-da": 9, "mau-duc": 9, "mon-son": 11,
    "thach-ngan": 8, "yen-khe": 8,
}
_FIRST = ("Nà", "Khe", "Huồi", "Pha", "Búng", "Xiềng", "Hủa", "Pòng", "Tạt", "Cò", "Piêng", "Na")
_SECOND = ("Mọc", "Lấu", "Sơn", "Tằm", "Kham", "Nàng", "Phày", "Ca", "Luông", "Mai", "Chà", "Sái",
           "Ngậm", "Thoong")
TIEN_THANH = "chi-khe-tien-thanh"  # already in the org tree: it went to Trà Lân


def _village_names() -> dict[str, list[tuple[str, str]]]:
    """Commune code → [(village code, name)]; Tiến Thành is one of Chi Khê's."""
    pairs = sorted(((a, b) for a in _FIRST for b in _SECOND),
                   key=lambda p: ((_FIRST.index(p[0]) * 7 + _SECOND.index(p[1]) * 5) % 17, p))
    invented = iter(f"Bản {first} {second}" for first, second in pairs)
    found: dict[str, list[tuple[str, str]]] = {}
    for commune, count in VILLAGE_COUNTS.items():
        villages = [(TIEN_THANH, "Thôn Tiến Thành")] if commune == "chi-khe" else []
        number = 1
        while len(villages) < count:
            name = f"Khối {number}" if commune == "tt-con-cuong" else next(invented)
            villages.append((f"{commune}-v{number:02d}", name))
            number += 1
        found[commune] = villages
    return found


VILLAGES = _village_names()


def village_units() -> list[OrgUnitState]:
    """The villages the org tree lacks, each ending with its commune and rolling up as it does
    (a commune's area then belongs to its successor)."""
    communes = {unit.code: unit for unit in tree.org_units()}
    units = []
    for commune, villages in VILLAGES.items():
        parent = communes[commune]
        for code, name in villages:
            if code != TIEN_THANH:
                units.append(OrgUnitState(code, name, "village", tree.KNOWN_FROM, commune,
                                          parent.valid_to, parent.successor_code))
    return units


# ---- units (collective bodies), their people, and everyone who signs in --------------------

_KIND_NAMES = {
    "womens_union": "Hội LHPN", "farmers_union": "Hội Nông dân", "youth_union": "Đoàn TN",
    "fatherland_front": "Ủy ban MTTQ", "veterans": "Hội Cựu chiến binh", "police": "Công an",
}
_MORE_UNITS = (  # (commune, kind) beyond the directory's own six
    ("yen-khe", "veterans"), ("tt-con-cuong", "womens_union"), ("tt-con-cuong", "police"),
    ("binh-chuan", "fatherland_front"), ("binh-chuan", "farmers_union"),
    ("bong-khe", "youth_union"), ("bong-khe", "party_cell"), ("cam-lam", "womens_union"),
    ("cam-lam", "veterans"), ("chi-khe", "farmers_union"), ("chi-khe", "fatherland_front"),
    ("don-phuc", "youth_union"), ("don-phuc", "womens_union"), ("lang-khe", "farmers_union"),
    ("lang-khe", "police"), ("luc-da", "womens_union"), ("luc-da", "fatherland_front"),
    ("mau-duc", "veterans"), ("mau-duc", "farmers_union"), ("thach-ngan", "youth_union"),
    ("thach-ngan", "womens_union"),
)
_KIND_SLUGS = {"womens_union": "hlhpn", "farmers_union": "hnd", "youth_union": "doan-tn",
               "fatherland_front": "mttq", "veterans": "ccb", "police": "cong-an",
               "party_cell": "chi-bo"}


def _place_name(commune: str) -> str:
    name = tree.COMMUNES[commune]
    return name[0].lower() + name[1:]  # "xã Môn Sơn", "thị trấn Con Cuông"


def _unit(commune: str, kind: str) -> tuple[str, str, str, str]:
    if kind == "party_cell":
        village = VILLAGES[commune][1][1]
        name = f"Chi bộ {village[0].lower()}{village[1:]}, {_place_name(commune)}"
    else:
        name = f"{_KIND_NAMES[kind]} {_place_name(commune)}"
    return (f"{commune}-{_KIND_SLUGS[kind]}", name, kind, commune)


UNITS: tuple[tuple[str, str, str, str], ...] = (
    *tree.UNITS, *(_unit(commune, kind) for commune, kind in _MORE_UNITS))
UNIT_BY_CODE = {unit[0]: unit for unit in UNITS}

_SURNAMES = ("Lô", "Vi", "Lương", "Kha", "Moong", "Ngân", "Hà", "Sầm", "Lang", "Quang", "Nguyễn",
             "Trần", "Lữ", "Cụt", "La")
_MEN = ("Thành", "Phong", "Hùng", "Sơn", "Tuấn", "Dũng", "Hải", "Lâm", "Quý", "Chiến", "Đức",
        "Hòa", "Minh", "Nam", "Bảo", "Tiến", "Cường")
_WOMEN = ("Lan", "Hương", "Mai", "Thanh", "Hằng", "Liên", "Xuân", "Duyên", "Phương", "Nga", "Hiền",
          "Yến", "Thảo", "Oanh", "Huệ", "Loan", "Trang")


def _names():
    """Invented full names, never repeated (nor equal to a demo user's or a directory person's)."""
    taken = {name.split(" — ")[0] for _u, name, _r, _s in DEMO_USERS}
    taken |= {name for _unit, name, _position in tree.PEOPLE}
    number = 0
    while True:
        surname = _SURNAMES[(number * 7) % len(_SURNAMES)]
        given = (_MEN if number % 2 == 0 else _WOMEN)[(number * 5 + number // 17) % len(_MEN)]
        name = f"{surname} {'Văn' if number % 2 == 0 else 'Thị'} {given}"
        number += 1
        if name not in taken:
            taken.add(name)
            yield name


_POSITIONS = {
    "womens_union": "Chi hội trưởng phụ nữ", "farmers_union": "Hội viên nông dân",
    "youth_union": "Đoàn viên", "fatherland_front": "Trưởng ban công tác Mặt trận",
    "veterans": "Hội viên cựu chiến binh", "school": "Giáo viên", "border_post": "Cán bộ đồn",
    "police": "Công an viên", "party_cell": "Đảng viên",
}


def _people() -> tuple[tuple[str, str, str], ...]:
    """73 people across the 27 units: three in each of the first 19 units, two in the others;
    the directory's own five people are among them."""
    names = _names()
    known = {}
    for unit_code, name, position in tree.PEOPLE:
        known.setdefault(unit_code, []).append((unit_code, name, position))
    people = []
    for position, (code, _name, kind, _org) in enumerate(UNITS):
        wanted = 3 if position < 19 else 2
        members = known.get(code, [])[:wanted]
        while len(members) < wanted:
            members.append((code, next(names), _POSITIONS[kind]))
        people += members
    return tuple(people)


PEOPLE = _people()
_user_names = _names()
_taken_by_people = {name for _unit, name, _position in PEOPLE}


def _other_name() -> str:
    """A name for a user who is none of the people above."""
    while (name := next(_user_names)) in _taken_by_people:
        continue
    return name


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str
    scope: str


def _users() -> tuple[User, ...]:
    existing = {username: User(username, name, role, scope)
                for username, name, role, scope in DEMO_USERS}
    users = list(existing.values())
    unit_accounts = {"mon-son-hlhpn": "donvi", "chau-khe-doan-tn": "donvi2"}
    for code, unit_name, _kind, commune in UNITS:
        if code not in unit_accounts:
            holder = next(name for unit, name, _p in PEOPLE if unit == code)
            users.append(User(f"dv.{code}", f"{holder} — {unit_name}", "submitter", commune))
    commune_accounts = {"mon-son": "xa", "chau-khe": "xa2"}
    for commune in tree.COMMUNES:
        if commune not in commune_accounts:
            users.append(User(f"xa.{commune}",
                              f"{_other_name()} — Khối dân vận {_place_name(commune)}",
                              "commune_reviewer", commune))
    users.append(User("huyen2", f"{_other_name()} — Ban Dân vận huyện", "district_reviewer",
                      DISTRICT))
    members_so_far = sum(1 for user in users if user.role in ("committee_member", "committee_chair"))
    for number in range(members_so_far + 1, COMMITTEE_SIZE + 1):
        users.append(User(f"bcd{number:02d}", f"{_other_name()} — Ban Chỉ đạo", "committee_member",
                          DISTRICT))
    users.append(User("tinh", f"{_other_name()} — Ban Dân vận Tỉnh ủy", "province_reviewer",
                      tree.PROVINCE))
    for number in range(1, 7):
        users.append(User(f"kiemtra{number}", f"{_other_name()} — Tổ kiểm tra", "inspector",
                          DISTRICT))
    users.append(User("lanhdao", f"{_other_name()} — Thường trực Huyện ủy", "viewer", DISTRICT))
    return tuple(users)


USERS = _users()
SUBMITTER_OF_UNIT = {
    "mon-son-hlhpn": "donvi", "chau-khe-doan-tn": "donvi2",
    **{code: f"dv.{code}" for code, *_rest in UNITS
       if code not in ("mon-son-hlhpn", "chau-khe-doan-tn")},
}
COMMUNE_REVIEWER = {user.scope: user.username for user in USERS if user.role == "commune_reviewer"}
DISTRICT_REVIEWER = "huyen"
CHAIR = "chutich"
MEMBERS = tuple(user.username for user in USERS if user.role == "committee_member")
INSPECTORS = tuple(user.username for user in USERS if user.role == "inspector")
ADMIN = "admin"

# ---- the 177 models -----------------------------------------------------------------------

_COLLECTIVE_TITLES = {
    "economy": ("Giúp nhau phát triển chăn nuôi bò sinh sản ở {village}",
                "Tổ hợp tác trồng và chế biến măng ở {village}",
                "Vận động hội viên trồng keo, quế theo chuỗi ở {village}",
                "Tiết kiệm vốn xoay vòng giúp hội viên thoát nghèo ở {village}",
                "Liên kết nuôi gà thả đồi ở {village}",
                "Phát triển du lịch cộng đồng ở {village}"),
    "culture_society": ("Xây dựng gia đình 5 không, 3 sạch ở {village}",
                        "Câu lạc bộ dân ca, dân vũ Thái ở {village}",
                        "Vận động con em đến trường, không bỏ học ở {village}",
                        "Đám cưới, đám tang văn minh, bỏ hủ tục ở {village}",
                        "Phân loại rác thải tại nguồn ở {village}",
                        "Giữ gìn nghề dệt thổ cẩm ở {village}"),
    "new_rural": ("Vận động nhân dân hiến đất mở rộng đường giao thông ở {village}",
                  "Bê tông hóa đường ngõ xóm ở {village}",
                  "Thắp sáng đường quê ở {village}",
                  "Chỉnh trang khuôn viên nhà văn hóa ở {village}",
                  "Đường hoa, hàng rào xanh ở {village}"),
    "defense_security": ("Bản không ma túy, không tội phạm ở {village}",
                         "Tổ tự quản an ninh trật tự ở {village}",
                         "Camera an ninh cộng đồng ở {village}",
                         "Tuyên truyền phòng chống mua bán người ở {village}"),
    "political_system": ("Chi bộ gần dân, hiểu dân ở {village}",
                         "Đối thoại định kỳ giữa cán bộ và Nhân dân ở {village}",
                         "Cán bộ phụ trách hộ, bám bản ở {village}",
                         "Thực hiện tốt quy chế dân chủ ở {village}"),
}
_INDIVIDUAL_TITLES = {
    "economy": ("{who} nuôi dê nhốt chuồng, giúp hộ nghèo con giống",
                "{who} trồng keo kết hợp nuôi ong lấy mật",
                "{who} phát triển trang trại gà thả đồi",
                "{who} nuôi cá lồng trên sông Lam",
                "{who} trồng cam, bưởi theo hướng VietGAP",
                "{who} làm dịch vụ lưu trú cộng đồng cho du khách"),
    "culture_society": ("{who} vận động bà con bỏ hủ tục trong đám tang",
                        "{who} truyền dạy chữ Thái cổ cho thanh thiếu niên",
                        "{who} giữ nghề dệt thổ cẩm và dạy nghề cho phụ nữ",
                        "{who} hòa giải mâu thuẫn trong cộng đồng"),
    "new_rural": ("{who} hiến đất làm đường giao thông nông thôn",
                  "{who} vận động các hộ góp công làm đường bê tông",
                  "{who} tự nguyện dời tường rào mở rộng đường"),
    "defense_security": ("{who} tố giác tội phạm ma túy, giữ bình yên thôn bản",
                         "{who} vận động bà con giữ gìn an ninh vùng biên"),
    "political_system": ("{who}, trưởng bản gần dân, sát dân",
                         "{who} vận động Nhân dân thực hiện quy chế dân chủ"),
}
_OBJECTIVES = {
    "economy": "Nâng thu nhập bình quân của các hộ tham gia thêm 10% mỗi năm; giảm 2 hộ nghèo.",
    "culture_society": "100% hộ tham gia ký cam kết; duy trì sinh hoạt hằng tháng.",
    "new_rural": "Hoàn thành các hạng mục đăng ký trong năm 2024 với sự đóng góp của Nhân dân.",
    "defense_security": "Không phát sinh tội phạm, tệ nạn xã hội trên địa bàn trong năm.",
    "political_system": "100% kiến nghị của Nhân dân được tiếp nhận và trả lời đúng hạn.",
}
_ACTIVITIES = {
    "economy": "Họp hộ, chia sẻ kinh nghiệm sản xuất, hỗ trợ giống và kỹ thuật cho hộ khó khăn.",
    "culture_society": "Tuyên truyền tại các buổi sinh hoạt bản; biểu dương hộ làm tốt.",
    "new_rural": "Vận động hiến đất, góp ngày công, tiền mặt; giám sát thi công cùng Nhân dân.",
    "defense_security": "Phối hợp với công an, biên phòng nắm tình hình; tuyên truyền pháp luật.",
    "political_system": "Cán bộ phụ trách hộ; đối thoại định kỳ; công khai các khoản đóng góp.",
}


@dataclass(frozen=True)
class Model:
    """One registration as its unit enters it, and what happens to it in review."""

    key: str
    title: str
    field: str
    subject_type: str
    commune_code: str
    unit_code: str
    person_name: str | None
    village: str
    returned_at: str | None = None  # the stage that returns it once: "commune" or "district"
    exemplar: bool = False

    @property
    def submitter(self) -> str:
        return SUBMITTER_OF_UNIT[self.unit_code]

    def as_entered(self, first: bool) -> dict:
        """The registration's fields; ``first``: as first sent, before a reviewer returned it."""
        data = {
            "title": self.title, "field": self.field, "subject_type": self.subject_type,
            "commune_code": self.commune_code, "unit_name": UNIT_BY_CODE[self.unit_code][1],
            "person_name": self.person_name, "villages": self.village,
            "situation": f"Tại {self.village} nhiều hộ còn khó khăn; cần cách làm phù hợp "
                         f"với phong tục đồng bào.",
            "objectives": _OBJECTIVES[self.field], "activities": _ACTIVITIES[self.field],
            "beneficiaries": f"Các hộ dân {self.village}",
            "forces": UNIT_BY_CODE[self.unit_code][1], "timeline": "Năm 2024",
        }
        if first and self.returned_at == "commune":
            data["objectives"] = None  # sent without measurable targets: the commune asks for them
        if first and self.returned_at == "district":
            data["title"] = f"Mô hình dân vận khéo năm 2024: {self.title[0].lower()}{self.title[1:]}"
        return data


def _collective_slots() -> list[tuple[str, str]]:
    """(field, unit code) of the 100 collective models: units take turns, those whose kind
    suits a field first, so each unit has three or four models."""
    affinity = {
        "political_system": ("party_cell", "fatherland_front", "veterans"),
        "defense_security": ("border_post", "police", "veterans", "youth_union"),
        "new_rural": ("fatherland_front", "farmers_union", "party_cell", "youth_union"),
        "economy": ("farmers_union", "womens_union", "youth_union"),
        "culture_society": ("school", "womens_union", "youth_union", "fatherland_front"),
    }
    counts = {code: 0 for code, *_rest in UNITS}
    order = list(counts)
    slots = []
    for field_ in sorted(FIELDS, key=lambda f: MODELS_BY_FIELD["collective"][f]):
        for number in range(MODELS_BY_FIELD["collective"][field_]):
            chosen = min(order, key=lambda code: (
                counts[code], UNIT_BY_CODE[code][2] not in affinity[field_],
                (order.index(code) - number * 5) % len(order)))
            counts[chosen] += 1
            slots.append((field_, chosen))
    return slots


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def _models() -> tuple[Model, ...]:
    models: list[Model] = []
    titles: set[str] = set()
    used: dict[tuple[str, str], int] = {}
    for number, (field_, unit_code) in enumerate(_collective_slots()):
        commune = UNIT_BY_CODE[unit_code][3]
        templates = _COLLECTIVE_TITLES[field_]
        turn = used.get((unit_code, field_), 0)
        used[(unit_code, field_)] = turn + 1
        villages = VILLAGES[commune]
        for attempt in range(len(villages) * len(templates)):
            village = villages[(number + turn + attempt) % len(villages)][1]
            title = templates[(number + attempt) % len(templates)].format(
                village=_lower_first(village))
            if title not in titles:
                break
        titles.add(title)
        models.append(Model(f"c{number + 1:03d}", title, field_, "collective", commune,
                            unit_code, None, village))
    # The fields interleaved in proportion, so people of every commune have models of each.
    counts = MODELS_BY_FIELD["individual"]
    spread = sorted(((j + 0.5) / counts[f], FIELDS.index(f), f) for f in FIELDS
                    for j in range(counts[f]))
    for number, (_key, _order, field_) in enumerate(spread):
        unit_code, name, _position = PEOPLE[number % len(PEOPLE)]
        commune = UNIT_BY_CODE[unit_code][3]
        who = f"{'Ông' if ' Văn ' in name else 'Bà'} {name}"
        templates = _INDIVIDUAL_TITLES[field_]
        title = templates[number % len(templates)].format(who=who)
        while title in titles:
            title = templates[(templates.index(title.replace(who, "{who}")) + 1)
                              % len(templates)].format(who=who)
        titles.add(title)
        village = VILLAGES[commune][number % len(VILLAGES[commune])][1]
        models.append(Model(f"i{number + 1:03d}", title, field_, "individual", commune,
                            unit_code, name, village))
    return tuple(_with_review_story(models))


# Which registrations a reviewer returns once (and the unit fixes), and the committee's exemplars.
RETURNED_AT_COMMUNE = ("c004", "c037", "c081", "i012")
RETURNED_AT_DISTRICT = ("c058", "i040")
EXEMPLARS = ("c005", "c061", "c090", "i002", "i030", "i051")
RETURN_COMMENTS = {
    "commune": "Đề nghị bổ sung mục tiêu, chỉ tiêu cụ thể, đo đếm được.",
    "district": "Tên mô hình dài, chưa nêu rõ cách làm; đề nghị đặt lại tên ngắn gọn.",
    "report": "Diện tích đất hiến chưa khớp với biên bản hiến đất; đề nghị kiểm tra lại số liệu.",
}


def _with_review_story(models: list[Model]) -> list[Model]:
    told = []
    for model in models:
        returned = "commune" if model.key in RETURNED_AT_COMMUNE else \
            "district" if model.key in RETURNED_AT_DISTRICT else None
        told.append(Model(**{**vars(model), "returned_at": returned,
                             "exemplar": model.key in EXEMPLARS}))
    return told


MODELS = _models()
MODEL_BY_KEY = {model.key: model for model in MODELS}

# ---- the committee's meetings: one session per commune's list of models ------------------


@dataclass(frozen=True)
class Sitting:
    """A committee session: the models of one commune, decided at a meeting."""

    title: str
    meeting_date: date
    commune: str
    absent: tuple[str, ...] = field(default=())  # members who did not come (and so did not vote)


# The committee meets four times; at each meeting it takes the lists of the communes whose
# models commune and district have approved since the last one, a session per commune.
MEETINGS = (
    (date(2024, 3, 28), ("tt-con-cuong", "binh-chuan", "bong-khe")),
    (date(2024, 4, 25), ("cam-lam", "chau-khe", "chi-khe")),
    (date(2024, 5, 23), ("don-phuc", "lang-khe", "luc-da")),
    (date(2024, 6, 6), ("mau-duc", "mon-son", "thach-ngan", "yen-khe")),
)
ABSENT_PER_SESSION = 5  # 15 of the 20 members vote: more than the two-thirds quorum


def _sittings() -> tuple[Sitting, ...]:
    sittings = []
    for meeting_date, communes in MEETINGS:
        for commune in communes:
            first = (len(sittings) * ABSENT_PER_SESSION) % len(MEMBERS)
            absent = tuple(MEMBERS[(first + n) % len(MEMBERS)] for n in range(ABSENT_PER_SESSION))
            sittings.append(Sitting(
                f"Xét công nhận mô hình “Dân vận khéo” năm 2024 của {_place_name(commune)}",
                meeting_date, commune, absent))
    return tuple(sittings)


SESSIONS = _sittings()


def vote_of(member_number: int, entry_number: int, exemplar: bool) -> str:
    """How one member votes on one entry: nearly always approve, now and then a doubt."""
    if exemplar:
        return "approve"
    if entry_number % 9 == 4 and member_number == entry_number % 15:
        return "abstain"
    if entry_number % 13 == 6 and member_number == (entry_number + 3) % 15:
        return "reject"
    return "approve"


# ---- result reports of the new-rural models: the seed's contributions ----------------------


def _split(total: int, weights: list[int]) -> list[int]:
    """``total`` shared in proportion to ``weights``, in whole steps, summing exactly."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    left = total - sum(shares)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in by_remainder[:left]:
        shares[i] += 1
    return shares


@dataclass(frozen=True)
class Report:
    model_key: str
    figures: dict[str, Decimal]
    narrative: str
    first_figures: dict[str, Decimal] | None = None  # as first sent, when the commune returns it

    @property
    def submitter(self) -> str:
        return MODEL_BY_KEY[self.model_key].submitter


NOT_REPORTED = ("c031", "c044", "i016", "i037", "i066")  # late: no result report yet
RETURNED_REPORT = "c046"  # its land figure first typed with the digits reversed


def _reports() -> tuple[Report, ...]:
    reporting = [m for m in MODELS if m.field == "new_rural" and m.key not in NOT_REPORTED]
    weights = [3 + (number * 7) % 5 for number in range(len(reporting))]
    money = _split(1_139, weights)  # millions of đồng
    labour = _split(8_524, [w + number % 3 for number, w in enumerate(weights)])
    land_owners = [i for i, m in enumerate(reporting) if i % 3 != 1 or m.subject_type == "individual"]
    land = _split(9_952, [weights[i] for i in land_owners])
    road_builders = [i for i, m in enumerate(reporting) if m.subject_type == "collective"]
    road = _split(1_138, [weights[i] + 2 for i in road_builders])  # half kilometres
    reports = []
    for number, model in enumerate(reporting):
        figures = {"money_vnd": Decimal(money[number] * 1_000_000),
                   "labour_days": Decimal(labour[number])}
        if number in land_owners:
            figures["land_m2"] = Decimal(land[land_owners.index(number)])
        if number in road_builders:
            figures["road_km"] = Decimal(road[road_builders.index(number)]) / 2
        first = None
        if model.key == RETURNED_REPORT:
            first = {**figures, "land_m2": Decimal(f"{figures['land_m2']:f}"[::-1])}
        reports.append(Report(model.key, figures, f"Kết quả 6 tháng đầu năm 2024 của mô hình "
                              f"\"{model.title}\": các hạng mục đã đăng ký được triển khai với "
                              f"sự đồng thuận của Nhân dân.", first))
    return tuple(reports)


REPORTS = _reports()


def typed(value: Decimal) -> str:
    """A figure as a Vietnamese user types it: ``1.139.000.000``, ``12,5``."""
    whole, _dot, fraction = f"{value:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    fraction = fraction.rstrip("0")
    return f"{grouped},{fraction}" if fraction else grouped


# ---- inspection teams (review's inspections) ------------------------------------------------

# (name, communes covered, members as (username, home commune, unit)): nobody inspects the
# commune they live in.
INSPECTION_TEAMS = (
    ("Tổ kiểm tra số 1", ("chau-khe", "chi-khe", "lang-khe", "luc-da", "mon-son", "yen-khe"),
     ((INSPECTORS[0], "tt-con-cuong", "Ban Dân vận Huyện ủy"),
      (INSPECTORS[1], "binh-chuan", "Ủy ban MTTQ huyện"),
      (INSPECTORS[2], "cam-lam", "Phòng Nội vụ huyện"))),
    ("Tổ kiểm tra số 2", ("binh-chuan", "bong-khe", "cam-lam", "don-phuc", "mau-duc", "thach-ngan",
                          "tt-con-cuong"),
     ((INSPECTORS[3], "mon-son", "Ban Dân vận Huyện ủy"),
      (INSPECTORS[4], "chi-khe", "Huyện đoàn"),
      (INSPECTORS[5], "yen-khe", "Hội Nông dân huyện"))),
)

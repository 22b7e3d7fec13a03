"""The most common passwords, refused as new passwords: the first ones any attacker tries.

From the published lists of leaked passwords (the top of them, 8 characters or more, as only
those pass the length rule), with the Vietnamese favourites added. A password is compared in
lower case and without spaces, dots, dashes and underscores, and one of one or two repeated
characters (``11111111``, ``abababab``) counts as common too.
"""

from __future__ import annotations

import re

_LISTED = """
12345678 123456789 1234567890 12345678910 123123123 987654321 0987654321 11111111 00000000
88888888 66666666 99999999 12341234 11223344 12344321 147258369 123654789 159753852 1qaz2wsx
password password1 password123 passw0rd p@ssword p@ssw0rd iloveyou iloveyou1 qwertyui qwertyuiop
qwerty123 qwerty12 asdfghjk asdfghjkl zxcvbnm1 zxcvbnmm abc12345 abcd1234 abcdefgh a1234567
aa123456 admin123 administrator welcome1 welcome123 letmein1 sunshine princess football baseball
superman starwars trustno1 whatever dragon12 monkey12 master12 computer internet 1q2w3e4r
1q2w3e4r5t q1w2e3r4 zaq12wsx changeme secret12 secret123 default1 login123 test1234 testtest
matkhau matkhau1 matkhau123 matkhaumoi anhyeuem emyeuanh yeuemnhieu vietnam1 vietnam123
hanoi123 saigon123 dvk12345 danvankheo danvan123 conguong congcuong nghean123 123456abc
"""
_COMMON = frozenset(_LISTED.split())
_SEPARATORS = re.compile(r"[\s._\-]+")


def common(password: str) -> bool:
    """Whether ``password`` is one of the passwords tried first."""
    plain = _SEPARATORS.sub("", password.lower())
    return plain in _COMMON or len(set(plain)) <= 2

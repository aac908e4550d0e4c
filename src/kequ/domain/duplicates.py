"""When two customers are the same person: the same phone, WeChat or e-mail, or the same
name at the same company. The import and ``kequ add`` both ask this, with these keys."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

__all__ = ["duplicate_keys"]


def _norm_phone(phone: str) -> str:
    digits = "".join(ch for ch in phone if ch.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11 and digits[len(prefix)] == "1":
            return digits[len(prefix) :]
    return digits


def _norm_key_text(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def duplicate_keys(name: str, company: str, phones: Sequence[str], wechat: str, email: str) -> list[tuple[str, str]]:
    """(by, key) pairs: two customers sharing one are the same person. ``by`` is phone,
    wechat, email or name_company."""
    keys = [("phone", p) for p in (_norm_phone(p) for p in phones) if len(p) >= 5]
    if wechat.strip():
        keys.append(("wechat", _norm_key_text(wechat)))
    if email.strip():
        keys.append(("email", email.strip().lower()))
    # A name alone is no proof: two 王总 without a company are two people.
    if name.strip() and company.strip():
        keys.append(("name_company", f"{_norm_key_text(name)}|{_norm_key_text(company)}"))
    return keys

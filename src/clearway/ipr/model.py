"""Applications for action (AFA): a right holder asks customs to act on suspected infringements.

EU Regulation No 608/2013: the application names the right holder and a contact, describes the
authentic goods, and customs act during the period granted, which may not exceed one year
(Art. 11; renewable on request, Art. 12). Matching needs brands and/or keywords and, usually, HS
code prefixes. Plain domain objects: field shapes are checked by Pydantic, business rules by
`check_application`, which answers coded issues instead of raising on the first one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from clearway.errors import DocumentInvalid, Issue, shown
from clearway.ipr.folding import fold_terms

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_HS_PREFIX = re.compile(r"^\d{2,10}$")
REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
DEFAULT_INSTRUCTIONS = ("Suspend release or detain the goods, notify the declarant and the "
                        "right holder (Regulation (EU) No 608/2013, Art. 17)")


def _printable(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("control characters are not allowed")
    return value


Text = Annotated[str, Field(min_length=1), AfterValidator(_printable)]
Term = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_printable)]


def _compact(value: Any) -> Any:
    """'6403 99' and '6403.99' are written as in the tariff: keep the digits together."""
    return re.sub(r"[ .]", "", value) if isinstance(value, str) else value


HsPrefix = Annotated[str, BeforeValidator(_compact), Field(max_length=10)]


class IprTerms(BaseModel):
    """What an application says, besides its reference and status (what an update replaces)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    right_holder: Annotated[Text, Field(max_length=200)]
    contact: Annotated[Text, Field(max_length=200, description="Right holder's or "
                                   "representative's contact for customs (name, phone, e-mail)")]
    goods_description: Annotated[Text, Field(max_length=2000)]
    brands: list[Term] = Field(default_factory=list, max_length=200)
    keywords: list[Term] = Field(default_factory=list, max_length=200)
    hs_codes: list[HsPrefix] = Field(
        default_factory=list, max_length=200,
        description="HS/CN code prefixes (2-10 digits); empty: goods of every code")
    instructions: Annotated[Text, Field(max_length=2000)] | None = Field(
        None, description="What officers do with matching goods; a default applies if empty")
    valid_from: date
    valid_to: date = Field(description="Last day of action; at most one year after valid_from")
    min_channel: Literal["yellow", "red"] = "red"


class IprApplication(IprTerms):
    reference: Annotated[str, Field(pattern=REFERENCE_PATTERN)]
    status: Literal["active", "withdrawn"] = "active"

    def valid_on(self, on: date) -> bool:
        return self.status == "active" and self.valid_from <= on <= self.valid_to

    @property
    def action_instructions(self) -> str:
        return self.instructions or DEFAULT_INSTRUCTIONS


def one_year_after(start: date) -> date | None:
    """The same day a year later (29 February -> 1 March); None past the calendar's end."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:  # 29 February, or year 9999
        if start.year >= 9999:
            return None
        return date(start.year + 1, 3, 1)


def check_application(terms: IprTerms, pointer: str = "") -> list[Issue]:
    """Business rules: validity period, something to match on, HS prefixes of digits."""
    issues: list[Issue] = []
    if terms.valid_to < terms.valid_from:
        issues.append(Issue("CW-IPR-VALIDITY", "valid_to is before valid_from",
                            pointer=f"{pointer}/valid_to"))
    else:
        limit = one_year_after(terms.valid_from)
        if limit is not None and terms.valid_to >= limit:
            last = limit - timedelta(days=1)
            issues.append(Issue("CW-IPR-VALIDITY", "the period of action may not exceed one "
                                f"year: valid_to must be {last.isoformat()} or earlier "
                                "(Regulation (EU) No 608/2013, Art. 11); renew instead",
                                pointer=f"{pointer}/valid_to"))
    if not terms.brands and not terms.keywords:
        issues.append(Issue("CW-IPR-TERMS", "give at least one brand or keyword",
                            pointer=f"{pointer}/brands"))
    for field in ("brands", "keywords"):
        values: list[str] = getattr(terms, field)
        for n, folded in enumerate(fold_terms(values)):
            if not folded:
                issues.append(Issue("CW-IPR-TERMS", f"{shown(values[n])} has no letter or digit "
                                    "with a Latin reading, so it can never match",
                                    pointer=f"{pointer}/{field}/{n}"))
    for n, prefix in enumerate(terms.hs_codes):
        if not _HS_PREFIX.match(prefix):
            issues.append(Issue("CW-IPR-CODE", f"{shown(prefix)} is not an HS/CN code prefix "
                                "of 2 to 10 digits", pointer=f"{pointer}/hs_codes/{n}"))
    return issues


def _pointer(loc: tuple[int | str, ...]) -> str:
    return "".join(f"/{part}" for part in loc)


def parse_application(data: Any, pointer: str = "") -> IprApplication:
    """An application from plain data (YAML, JSON), or DocumentInvalid listing every issue."""
    if not isinstance(data, Mapping):
        raise DocumentInvalid([Issue("CW-IPR-FIELD", "an application must be a mapping",
                                     pointer=pointer or "/")])
    try:
        application = IprApplication.model_validate(dict(data))
    except ValidationError as exc:
        raise DocumentInvalid([Issue("CW-IPR-FIELD", e["msg"],
                                     pointer=pointer + _pointer(tuple(e["loc"])))
                               for e in exc.errors()]) from None
    issues = check_application(application, pointer)
    if issues:
        raise DocumentInvalid(issues)
    return application

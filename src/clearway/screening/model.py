"""Screening data: list entries, hits with their evidence, and errors. Plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("individual", "entity", "vessel", "aircraft")


class ScreeningError(Exception):
    """Base error of the screening library."""


class ListFormatError(ScreeningError):
    """A restricted-party list file is malformed: `row` is the file line (0 = whole file)."""

    def __init__(self, source: str, row: int, message: str) -> None:
        super().__init__(f"{source}, row {row}: {message}")
        self.source = source
        self.row = row
        self.message = message


class InvalidQuery(ScreeningError):
    """A screening call with an unusable argument (unknown kind, bad limit or threshold)."""


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One party on a restricted-party list (sanctions, denied parties, watch list)."""

    list_id: str                          # e.g. "OFAC SDN", "EU FSF", "RS national"
    entry_id: str                         # the list's own identifier (OFAC ent_num)
    name: str                             # primary name as published
    aliases: tuple[str, ...] = ()         # a.k.a. / f.k.a. / other spellings
    kind: str = "entity"                  # individual | entity | vessel | aircraft
    countries: tuple[str, ...] = ()       # ISO 3166 alpha-2 where known, else the name
    programs: tuple[str, ...] = ()        # sanction programmes (SDGT, RUSSIA-EO14024, ...)
    remarks: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")

    @property
    def names(self) -> tuple[tuple[str, str], ...]:
        """(field, value) for the primary name and each alias."""
        return (("name", self.name), *(("alias", a) for a in self.aliases))


@dataclass(frozen=True, slots=True)
class MatchedField:
    """Which query field met which list name, through which normalized forms."""

    query_field: str                      # "name" (the party name screened)
    query_value: str                      # as given
    list_field: str                       # "name" or "alias"
    list_value: str                       # as published
    query_form: str                       # normalized query compared (readable ASCII)
    list_form: str                        # normalized list name compared
    query_key: str                        # phonetic keys actually scored
    list_key: str
    score: float                          # name similarity 0..1 before boosts
    notes: tuple[str, ...] = ()           # "transliterated from Cyrillic", "word order ignored"


@dataclass(frozen=True, slots=True)
class ScreeningHit:
    """A list entry that the screened name may designate, with the evidence and the reason."""

    entry: ListEntry
    score: float                          # 0..1 after country/kind adjustments
    matched_fields: tuple[MatchedField, ...]
    explanation: str                      # the reason in words, for the officer
    features: dict[str, float] = field(default_factory=dict)   # name, country, kind parts

    def as_dict(self) -> dict[str, object]:
        best = self.matched_fields[0]
        return {"list_id": self.entry.list_id, "entry_id": self.entry.entry_id,
                "name": self.entry.name, "kind": self.entry.kind, "score": self.score,
                "matched": best.list_value, "matched_field": best.list_field,
                "programs": list(self.entry.programs), "features": dict(self.features),
                "explanation": self.explanation}

"""The shape an exported report's content must have to be kept (and later read side by
side or typeset): checked on import before anything is stored. Extra fields are allowed
(a later version may add some); the hash covers whatever the content holds."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationError

from clearway.progress.model import SECTION_KEYS

Text = Annotated[str, Field(max_length=20000)]
Number = StrictInt | float | None


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class IndicatorShape(_Loose):
    key: Annotated[str, Field(max_length=40)]
    label: Annotated[str, Field(max_length=200)]
    unit: Annotated[str, Field(max_length=20)]
    value: Number
    previous: Number


class SectionShape(_Loose):
    key: Annotated[str, Field(pattern="^(" + "|".join(SECTION_KEYS) + ")$")]
    number: StrictInt
    title: Annotated[str, Field(max_length=200)]
    in_use: StrictBool
    indicators: Annotated[list[IndicatorShape], Field(max_length=40)]
    narrative: Text
    owner: Annotated[str, Field(max_length=120)] | None = None
    completed_by: Annotated[str, Field(max_length=120)] | None = None


class ConferenceShape(_Loose):
    code: Annotated[str, Field(max_length=40)]
    name: Annotated[str, Field(max_length=200)]
    held_on: Annotated[str, Field(max_length=10)]
    deadline: Annotated[str, Field(max_length=10)]


class ContentShape(_Loose):
    conference: ConferenceShape
    administration: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    version: Annotated[StrictInt, Field(ge=1, le=10_000)]
    period: dict[str, str]
    previous_period: dict[str, Any]
    sections: Annotated[list[SectionShape], Field(min_length=1, max_length=20)]


def problem(content: Any) -> str | None:
    """What is wrong with `content` (None: it can be kept)."""
    try:
        ContentShape.model_validate(content)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(p) for p in first["loc"])
        return f"{where or 'content'}: {first['msg']}"
    return None

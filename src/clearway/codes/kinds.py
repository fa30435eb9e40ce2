"""What an error code is: its HTTP status and meaning, and whether it is an answer's own code or
names issues in a 422 answer's `errors`."""


from __future__ import annotations

from dataclasses import dataclass

IN_ERRORS = 422  # an answer whose `errors` list issues: CW-DOC-INVALID and its kin
# Two refusals at the HTTP boundary keep their own status under the code of what was refused;
# a code lists in `also` those it is used for (`errors.Malformed`, `errors.TooLarge`).
MALFORMED = 400  # the request itself cannot be read: its framing, a header, a form
TOO_LARGE = 413  # the body is larger than accepted and refused before it is read


@dataclass(frozen=True)
class Code:
    """`status`: of an answer with this code as its own (for a code that only names issues,
    422, the status of the answer listing them); `answer`: whether the code is ever an
    answer's own; `in_errors`: whether it names issues in `errors`; `also`: the boundary
    refusals (MALFORMED, TOO_LARGE) answered under it."""

    status: int
    meaning: str
    answer: bool = True
    in_errors: bool = False
    also: tuple[int, ...] = ()

    @property
    def http(self) -> str:
        """The HTTP column of the table in docs/api.md."""
        shown = [str(self.status)] if self.answer else []
        if self.in_errors:
            shown.append(f"{IN_ERRORS} (in `errors`)")
        return ", or ".join(shown + [str(s) for s in self.also])


def answer(status: int, meaning: str, *, in_errors: bool = False,
           also: tuple[int, ...] = ()) -> Code:
    """A code that is the answer's own, with its HTTP status."""
    return Code(status, meaning, in_errors=in_errors, also=also)


def issue(meaning: str, *, also: tuple[int, ...] = ()) -> Code:
    """A code that names an issue in the `errors` of a 422 answer."""
    return Code(IN_ERRORS, meaning, answer=False, in_errors=True, also=also)

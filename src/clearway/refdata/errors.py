"""The one error of reference data, raised by the CSV reader and the snapshot alike."""

from __future__ import annotations


class RefDataError(Exception):
    """A reference list is malformed: `row` is the file line (header = 1, 0 = whole file)."""

    def __init__(self, list_name: str, row: int, message: str) -> None:
        super().__init__(f"{list_name}, row {row}: {message}")
        self.list_name = list_name
        self.row = row
        self.message = message

"""The codes of the licence register (docs/licences.md): a declaration's licence references
checked on acceptance and amendment, and the register's own use cases."""

from __future__ import annotations

from clearway.codes.kinds import Code, answer, issue

LICENCES: dict[str, Code] = {
    # A declared document of a register-managed code (DE 2/3), checked in this order.
    "CW-LIC-UNKNOWN": issue("No licence with the declared number is in the register under the "
        "declared document code (or no number is given)."),
    "CW-LIC-SUSPENDED": issue("The declared licence is suspended or revoked by its agency."),
    "CW-LIC-EXPIRED": issue("The declared licence is not valid on the day of acceptance."),
    "CW-LIC-HOLDER": issue("The declared licence is held by another trader than the importer "
        "(import) or exporter (export), or the declarant where none is named."),
    "CW-LIC-USED": issue("The declared licence is for a single use and another declaration has "
        "used it."),
    "CW-LIC-GOODS": issue("No line of the declared licence covers the item's commodity code."),
    "CW-LIC-COUNTRY": issue("The declared licence does not cover the item's country of origin "
        "(import) or destination (export)."),
    "CW-LIC-AMOUNT": issue("The declaration does not give the amount the licence line counts in: "
        "the document's quantity, the net mass (kg) or supplementary units, or the item price in "
        "the line's currency."),
    "CW-LIC-EXHAUSTED": issue("Not enough quantity or value is left on the licence line for the "
        "item (counting the declaration's earlier items)."),
    # The register itself.
    "CW-LIC-EXISTS": answer(409, "A licence with this document code and number is already in the "
        "register."),
    "CW-LIC-STATE": answer(409, "The licence's status does not allow this: a revoked licence never "
        "changes, only a valid one is suspended, only a suspended one reinstated."),
    "CW-LIC-AMEND": answer(409, "An amendment of a licence would grant a line less than its "
        "write-offs hold, or drop a line that has write-offs."),
    "CW-LIC-FIELD": issue("A field of a licence in an import file is missing or of the wrong "
        "shape."),
    "CW-LIC-FILE": issue("The licence import file lacks a column or cannot be read."),
}

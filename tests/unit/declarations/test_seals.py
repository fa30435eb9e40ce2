"""DE 7/18 seal identifications reach `transport.seals` from every format that carries them:
JSON by name, WCO XML from Consignment/TransportEquipment/Seal/ID, CUSDEC from SEL segments
(which the CUSDEC writer emits after the containers)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from clearway.declarations.formats.detect import read_document
from clearway.declarations.formats.edifact_writer import write_cusdec
from clearway.declarations.model import Declaration
from format_documents import EDI, JSON, XML, XML_BASE, base_doc

SEALS = ["RS-778899", "RS-778900"]
CONTAINER = ("<TransportEquipment><SequenceNumeric>1</SequenceNumeric><ID>MSCU1234566</ID>"
             "</TransportEquipment>")
SEALED = ("<TransportEquipment><SequenceNumeric>1</SequenceNumeric><ID>MSCU1234566</ID>"
          "<Seal><SequenceNumeric>1</SequenceNumeric><ID>RS-778899</ID></Seal>"
          "<Seal><SequenceNumeric>2</SequenceNumeric><ID>RS-778900</ID></Seal>"
          "</TransportEquipment>")


def _sealed_json() -> dict:  # type: ignore[type-arg]
    doc = base_doc()
    doc["transport"] = {**doc["transport"], "seals": SEALS}
    return doc


def _document(fmt: str, sealed: bool) -> bytes:
    doc = _sealed_json() if sealed else base_doc()
    if fmt == JSON:
        return json.dumps(doc).encode()
    if fmt == XML:
        assert CONTAINER in XML_BASE
        return (XML_BASE.replace(CONTAINER, SEALED) if sealed else XML_BASE).encode()
    return write_cusdec(Declaration.model_validate(doc), sender="RS100234567",
                        recipient="CLEARWAY", reference="1",
                        prepared_at=datetime(2026, 11, 20, 9, 30)).encode()


@pytest.mark.parametrize("fmt", [JSON, XML, EDI])
@pytest.mark.parametrize("sealed", [True, False])
def test_seals_are_read_from_every_format(fmt: str, sealed: bool) -> None:
    parsed = read_document(_document(fmt, sealed), fmt)
    assert isinstance(parsed.doc, Declaration)
    assert parsed.doc.transport.seals == (SEALS if sealed else [])
    assert parsed.doc.transport.container_ids == ["MSCU1234566"]
    if sealed and fmt != JSON:  # a wrong seal is reported where the trader wrote it
        assert "/transport/seals/1" in parsed.pointers

"""CUSDEC (D.96B) qualifiers and codes and the canonical fields they stand for, shared by
the reader and the writer (the mapping table is in `edifact`)."""

from __future__ import annotations

MESSAGE_TYPE = ["CUSDEC", "D", "96B", "UN"]
DOC_TYPES = {"929": "IM", "930": "IM", "830": "EX", "914": "CO", "950": "CO"}
DOC_CODES = {"IM": "929", "EX": "830", "CO": "914"}
FUNCTIONS = {"9": "9", "5": "13", "4": "13"}  # BGM 1225 -> canonical; "1" is a cancellation
PARTIES = {"DT": "declarant", "IM": "importer", "EX": "exporter", "CZ": "consignor",
           "CN": "consignee", "AE": "representative", "SE": "seller", "BY": "buyer"}
ITEM_PARTIES = {"EX": "exporter", "CN": "consignee"}
OFFICES = {"96": "lodgement", "22": "presentation", "ZZZ": "supervising", "42": "exit",
           "41": "first_entry"}
COUNTRIES = {"35": "dispatch_country", "28": "destination_country"}
HEADER_GIS = {"ADT": "additional_type", "NAT": "nature_of_transaction",
              "RST": "representative_status"}
ITEM_GIS = {"VMT": "valuation_method", "VIN": "valuation_indicators"}
IDENTITIES = {"11": "border_identity", "12": "departure_identity", "13": "arrival_identity"}
ITEM_MOA = {"38": "item_price", "40": "customs_value", "123": "statistical_value"}
ITEM_MASS = {"AAA": "net_mass", "AAB": "gross_mass"}
COUNTS = {"5": "item_count", "11": "total_packages"}

"""The pasted-JSON layout: the same lines as json.dumps(indent=2), each with its pointer."""

from __future__ import annotations

import json

from clearway.errors import Issue
from clearway.web.jsonlines import annotate, first_lines, line_for, lines_of
from helpers import import_doc


def test_lines_match_json_dumps_with_indent_2() -> None:
    values: list[object] = [import_doc(), {"a/b": {"~": []}, "e": {}, "l": [1, [2, {"x": None}]]},
                            3, "é", []]
    for value in values:
        assert "\n".join(line.text for line in lines_of(value)) == json.dumps(value, indent=2)


def test_pointers_name_their_lines() -> None:
    lines = lines_of(import_doc())
    index = first_lines(lines)
    net_mass = line_for(index, "/items/1/net_mass")
    assert net_mass is not None and net_mass.text.strip() == '"net_mass": "50",'
    escaped = first_lines(lines_of({"a/b": {"c~d": 1}}))
    found = line_for(escaped, "/a~1b/c~0d")
    assert found is not None and found.text.strip() == '"c~d": 1'


def test_missing_fields_fall_back_to_the_closest_ancestor() -> None:
    index = first_lines(lines_of(import_doc()))
    item = line_for(index, "/items/0/procedure/additional")
    assert item is not None and item.text.strip() == '"procedure": {'
    root = line_for(index, "/")
    assert root is not None and root.number == 1


def test_annotate_attaches_issues_and_ignores_non_json() -> None:
    text = json.dumps(import_doc(dispatch_country="QQ"))
    issues = [Issue("CW-CODE-COUNTRY", "Unknown", "DE 5/14", "/dispatch_country"),
              Issue("CW-RULE-REQUIRED", "Missing", None, "/guarantee")]
    lines = annotate(text, issues)
    assert lines is not None
    flagged = {line.text.strip(): [i.code for i in line.issues] for line in lines if line.issues}
    assert flagged == {'"dispatch_country": "QQ",': ["CW-CODE-COUNTRY"],
                       "{": ["CW-RULE-REQUIRED"]}
    assert annotate("<xml/>", issues) is None

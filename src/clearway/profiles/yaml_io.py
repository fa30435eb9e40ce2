"""Profiles as YAML: a list of profile mappings (format in docs/profiles.md).

Reading is safe and strict: no tags, no anchors or aliases (no "billion laughs"), only
`true`/`false` are booleans (so the country code NO stays text), and every problem is a coded
issue naming the profile. Writing puts each field test on one line in flow style.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import yaml

from clearway.errors import DocumentInvalid, Issue
from clearway.profiles.model import Profile
from clearway.profiles.parse import read_profile

MAX_YAML_BYTES = 2 * 1024 * 1024
_BOOL = "tag:yaml.org,2002:bool"


class _Loader(yaml.SafeLoader):
    """SafeLoader without aliases and with YAML 1.2 booleans."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "anchors and aliases are not allowed",
                                              event.start_mark)
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


class _Flow(dict[str, Any]):
    """A field test: written on one line."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_mapping(
    "tag:yaml.org,2002:map", data, flow_style=True))


def _yaml_error(exc: yaml.YAMLError) -> Issue:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc)
    return Issue("CW-PROFILE-YAML", f"The YAML cannot be read: {where}{problem}")


def read_yaml(text: str | bytes) -> Any:
    """The data of a YAML document, or DocumentInvalid(CW-PROFILE-YAML)."""
    if len(text) > MAX_YAML_BYTES:
        raise DocumentInvalid([Issue("CW-PROFILE-YAML", f"The YAML is larger than "
                                     f"{MAX_YAML_BYTES:,} bytes")])
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise DocumentInvalid([Issue("CW-PROFILE-YAML", "The YAML is not UTF-8")]) from None
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise DocumentInvalid([_yaml_error(exc)], message="The profiles have errors") from None
    except RecursionError:
        raise DocumentInvalid([Issue("CW-PROFILE-YAML", "The YAML nests too deeply")]) from None


def load_profiles(text: str | bytes, *, default_owner: str | None = None) -> list[Profile]:
    """Every profile of a YAML list (a single mapping counts as a list of one)."""
    data = read_yaml(text)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise DocumentInvalid([Issue("CW-PROFILE-YAML", "Expected a list of profiles "
                                     "(each a mapping with code, name, area, weight, when...)",
                                     pointer="/")])
    issues: list[Issue] = []
    found: list[Profile] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(data):
        profile = read_profile(entry, issues, pointer=f"/{i}", default_owner=default_owner)
        if profile is None:
            continue
        if profile.code in seen:
            issues.append(Issue("CW-PROFILE-DUPLICATE", f"Profile {profile.code}: the code "
                                f"appears twice (entries {seen[profile.code]} and {i})",
                                "code", f"/{i}/code"))
        seen[profile.code] = i
        found.append(profile)
    if issues:
        raise DocumentInvalid(issues, message="The profiles have errors")
    return found


def load_profile(text: str | bytes, *, default_owner: str | None = None) -> Profile:
    """Exactly one profile (the console's editor)."""
    data = read_yaml(text)
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict):
        raise DocumentInvalid([Issue("CW-PROFILE-YAML", "Expected one profile: a mapping with "
                                     "code, name, area, weight, when...", pointer="/")])
    issues: list[Issue] = []
    profile = read_profile(data, issues, default_owner=default_owner)
    if profile is None:
        raise DocumentInvalid(issues, message="The profile has errors")
    return profile


def _flowing(cond: Any) -> Any:
    if isinstance(cond, dict) and "field" in cond:
        return _Flow(cond)
    if isinstance(cond, dict):
        return {k: _flowing(v) for k, v in cond.items()}
    if isinstance(cond, list):
        return [_flowing(c) for c in cond]
    return cond


def _document(profile: Profile, with_state: bool) -> dict[str, Any]:
    data = profile.definition()
    for key in ("valid_from", "valid_to"):
        if key in data:
            data[key] = date.fromisoformat(data[key])
    data["when"] = _flowing(data["when"])
    if with_state:
        data.update(version=profile.version, status=str(profile.status))
    return data


def dump_profiles(profiles: Sequence[Profile], *, with_state: bool = True) -> str:
    """A YAML list; `version` and `status` are written for information (reading ignores
    them: an import always makes drafts, or activates with --activate)."""
    docs = [_document(p, with_state) for p in profiles]
    return yaml.dump(docs, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def dump_profile(profile: Profile) -> str:
    """One profile as a YAML mapping (what the console's editor shows)."""
    return yaml.dump(_document(profile, False), Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=100)

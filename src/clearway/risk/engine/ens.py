"""Safety and security analysis of entry summary declarations (ENS), ICS2 style.

Pure: rules from a TOML file (`data/ens_rules.toml` shipped as an example), applied to the
ENS rows of the item frame. Each condition found gives a hit with its outcome: request for
information (RFI: ask the carrier; a documentary, yellow, hard hit), high-risk screening
(HRS: red, hard) or do not load (DNL: red, hard, only for configured combinations of
conditions on one declaration). Screening hits on the parties are added by the engine.
The outcome table is in docs/ens.md.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from clearway.declarations.model import SUMMARY_TYPES
from clearway.risk.engine.decision import Area, Channel, EnsOutcome, Hit, Source

CONDITIONS = ("vague_description", "incomplete_consignor", "new_consignee",
              "elevated_risk_route", "high_risk_route", "high_risk_loading", "dangerous_goods")
# Conditions combinations may name besides the plain ones.
DERIVED = {"unknown_party": ("incomplete_consignor", "new_consignee")}
SEVERITIES = {"high": "high_risk_route", "elevated": "elevated_risk_route"}
REFS = {"vague_description": "ENS-VAGUE", "incomplete_consignor": "ENS-CONSIGNOR",
        "new_consignee": "ENS-CONSIGNEE", "elevated_risk_route": "ENS-ROUTE",
        "high_risk_route": "ENS-ROUTE", "high_risk_loading": "ENS-LOADING",
        "dangerous_goods": "ENS-DG"}
INSTRUCTIONS = {
    EnsOutcome.RFI: "request information from the carrier before the goods are loaded",
    EnsOutcome.HRS: "high-risk screening (scan or search) before the goods are loaded",
    EnsOutcome.DNL: "tell the carrier not to load the consignment"}
_BY_NAME = {"RFI": EnsOutcome.RFI, "HRS": EnsOutcome.HRS, "DNL": EnsOutcome.DNL}
_CHANNEL = {EnsOutcome.RFI: Channel.YELLOW, EnsOutcome.HRS: Channel.RED,
            EnsOutcome.DNL: Channel.RED}


class EnsRulesError(ValueError):
    """The ENS rules file is not usable (unknown condition, bad regex, bad outcome...)."""


def _words(patterns: Iterable[str]) -> str | None:
    listed = [p for p in patterns if p]
    return r"(?i)\b(?:" + "|".join(f"(?:{p})" for p in listed) + r")\b" if listed else None


def _codes(table: Mapping[str, Any]) -> pl.Series:
    return pl.Series(list(table), dtype=pl.String).implode()


def _check_regex(pattern: str | None) -> None:
    if pattern is None:
        return
    try:
        pl.Series([""]).str.contains(pattern)
    except pl.exceptions.PolarsError as exc:
        raise EnsRulesError(f"bad description pattern: {exc}") from None


@dataclass(frozen=True)
class EnsRules:
    routing_countries: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    places_of_loading: Mapping[str, str] = field(default_factory=dict)
    dangerous_goods: Mapping[str, str] = field(default_factory=dict)
    always_vague: tuple[str, ...] = ()
    vague_words: tuple[str, ...] = ()
    filler: tuple[str, ...] = ()
    outcomes: Mapping[str, EnsOutcome] = field(default_factory=dict)
    weights: Mapping[EnsOutcome, float] = field(default_factory=dict)
    do_not_load: tuple[frozenset[str], ...] = ()
    new_trader_days: int = 30
    consignor_required: tuple[str, ...] = ("id", "name")
    min_specific_letters: int = 3

    @classmethod
    def load(cls, path: str | Path | None = None) -> EnsRules:
        """Rules from a TOML file; None: the example shipped with Clearway."""
        try:
            if path is None:
                text = resources.files("clearway.risk.engine").joinpath(
                    "data", "ens_rules.toml").read_text(encoding="utf-8")
            else:
                text = Path(path).read_text(encoding="utf-8")
            return cls.parse(tomllib.loads(text))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise EnsRulesError(f"cannot read ENS rules {path or 'ens_rules.toml'}: {exc}") \
                from None

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> EnsRules:
        outcomes = {c: EnsOutcome.HRS for c in CONDITIONS}
        for condition, name in dict(data.get("outcomes", {})).items():
            if condition not in CONDITIONS or name not in _BY_NAME:
                raise EnsRulesError(f"[outcomes] {condition} = {name!r}: conditions are "
                                    f"{', '.join(CONDITIONS)}; outcomes RFI, HRS, DNL")
            outcomes[condition] = _BY_NAME[name]
        weights = {EnsOutcome.RFI: 0.4, EnsOutcome.HRS: 0.8, EnsOutcome.DNL: 1.0}
        for name, weight in dict(data.get("weights", {})).items():
            if name not in _BY_NAME or not isinstance(weight, int | float):
                raise EnsRulesError(f"[weights] {name} = {weight!r}")
            weights[_BY_NAME[name]] = float(weight)
        combos = []
        for combo in data.get("do_not_load", []):
            names = frozenset(combo.get("when", []))
            unknown = names - set(CONDITIONS) - set(DERIVED)
            if not names or unknown:
                raise EnsRulesError(f"[[do_not_load]] when = {sorted(names)}: unknown "
                                    f"conditions {sorted(unknown)}")
            combos.append(names)
        countries = {}
        for code, spec in dict(data.get("routing_countries", {})).items():
            severity = spec.get("severity") if isinstance(spec, Mapping) else None
            if severity not in SEVERITIES:
                raise EnsRulesError(f"[routing_countries] {code}: severity must be one of "
                                    f"{', '.join(SEVERITIES)}")
            countries[code.upper()] = (severity, str(spec.get("note", "")))
        texts = dict(data.get("descriptions", {}))
        rules = cls(
            routing_countries=countries,
            places_of_loading={k.upper(): str(v) for k, v in
                               dict(data.get("places_of_loading", {})).items()},
            dangerous_goods={k.zfill(4): str(v) for k, v in
                             dict(data.get("dangerous_goods", {})).items()},
            always_vague=tuple(texts.get("always_vague", ())),
            vague_words=tuple(texts.get("vague_words", ())),
            filler=tuple(texts.get("filler", ())), outcomes=outcomes, weights=weights,
            do_not_load=tuple(combos), new_trader_days=int(data.get("new_trader_days", 30)),
            consignor_required=tuple(data.get("consignor_required", ("id", "name"))),
            min_specific_letters=int(data.get("min_specific_letters", 3)))
        if set(rules.consignor_required) - {"id", "name", "country"}:
            raise EnsRulesError("consignor_required lists id, name or country")
        for pattern in (_words(rules.always_vague), _words(rules.vague_words),
                        _words(rules.filler)):
            _check_regex(pattern)
        return rules

    # -- conditions, vectorised over the frame ---------------------------------------------
    def vague(self, description: pl.Expr) -> pl.Expr:
        """True where a description says nothing checkable about the goods."""
        text = description.fill_null("")
        always = _words(self.always_vague)
        rest = text
        for pattern in (_words(self.vague_words), _words(self.filler)):
            if pattern:
                rest = rest.str.replace_all(pattern, " ")
        empty = rest.str.replace_all(r"[^\p{L}]", "").str.len_chars() \
            < self.min_specific_letters
        return (text.str.contains(always) | empty) if always else empty

    def _vague_terms(self, description: pl.Expr) -> pl.Expr:
        found = [description.fill_null("").str.extract_all(p)
                 for p in (_words(self.always_vague), _words(self.vague_words)) if p]
        return pl.concat_list(found) if found else pl.lit([], pl.List(pl.String))

    def _item_rows(self, ens: pl.DataFrame) -> pl.DataFrame:
        un = pl.col("dangerous_goods_un").str.replace_all(r"[^0-9]", "").str.zfill(4)
        flagged = ens.filter(pl.col("item").is_not_null()).with_columns(
            self.vague(pl.col("description")).alias("_vague"),
            un.alias("_un"), un.is_in(_codes(self.dangerous_goods)).fill_null(False).alias("_dg"))
        flagged = flagged.filter(pl.col("_vague") | pl.col("_dg"))
        return flagged.with_columns(self._vague_terms(pl.col("description")).alias("_terms"))

    def _head_rows(self, ens: pl.DataFrame) -> pl.DataFrame:
        def missing(name: str) -> pl.Expr:
            return pl.col(name).fill_null("").str.strip_chars() == ""

        # The party abroad must be identifiable (ENS: the consignor; EXS, mirrored: the
        # consignee); the party here must have a record (ENS: consignee; EXS: consignor).
        exs = pl.col("declaration_type") == "EXS"
        lacking = [pl.when(exs).then(missing(f"consignee_{r}")).otherwise(
            missing(f"consignor_{r}")) for r in self.consignor_required]
        here = pl.when(exs).then(missing("consignor_id")).otherwise(missing("consignee_id"))
        days = pl.col("trader_days_known")
        place = pl.col("place_of_loading").fill_null("").str.replace_all(r"\s", "") \
            .str.to_uppercase()
        heads = ens.unique(subset="_decl", keep="first", maintain_order=True).with_columns(
            (pl.any_horizontal(lacking) if lacking else pl.lit(False)).alias("_consignor"),
            (here | days.is_null() | (days < self.new_trader_days))
            .alias("_consignee"),
            place.alias("_place"), place.is_in(_codes(self.places_of_loading)).alias("_loading"))
        return heads.filter(pl.col("_consignor") | pl.col("_consignee") | pl.col("_loading"))

    def _route_rows(self, ens: pl.DataFrame) -> pl.DataFrame:
        table = pl.DataFrame(
            [(code, sev, note) for code, (sev, note) in self.routing_countries.items()],
            schema={"_country": pl.String(), "_severity": pl.String(), "_note": pl.String()},
            orient="row")
        routes = (ens.unique(subset="_decl", keep="first", maintain_order=True)
                  .select("_decl", pl.col("route_countries").alias("_country"))
                  .explode("_country").with_columns(pl.col("_country").str.to_uppercase()))
        return routes.join(table, on="_country", how="inner", maintain_order="left") \
            .unique(subset=["_decl", "_country"], keep="first", maintain_order=True)

    # -- hits ------------------------------------------------------------------------------
    def _hit(self, condition: str, reason: str, evidence: dict[str, Any],
             item: int | None = None) -> Hit:
        outcome = self.outcomes[condition]
        return Hit(source=Source.ENS, ref=REFS[condition], area=Area.SECURITY, reason=reason,
                   weight=self.weights[outcome], min_channel=_CHANNEL[outcome], hard=True,
                   item=item, instructions=INSTRUCTIONS[outcome], ens_outcome=outcome,
                   evidence={"condition": condition, **evidence})

    def hits(self, frame: pl.DataFrame) -> list[tuple[int, Hit]]:
        """Hits on the ENS rows of the item frame, per declaration: do-not-load first, then
        header conditions, then items in order."""
        summary = pl.col("declaration_type").is_in(SUMMARY_TYPES)
        if not frame.select(summary.any()).item():
            return []
        ens = frame.filter(summary)
        found: dict[int, list[tuple[str, Hit]]] = {}

        def add(decl: int, condition: str, hit: Hit) -> None:
            found.setdefault(decl, []).append((condition, hit))

        for r in self._head_rows(ens).iter_rows(named=True):
            if r["_consignor"]:
                add(r["_decl"], "incomplete_consignor", self._abroad_hit(r))
            if r["_consignee"]:
                add(r["_decl"], "new_consignee", self._consignee_hit(r))
            if r["_loading"]:
                name = self.places_of_loading[r["_place"]]
                add(r["_decl"], "high_risk_loading", self._hit(
                    "high_risk_loading", f"loaded at {r['_place']} ({name}), a high-risk "
                    "place of loading", {"place_of_loading": r["_place"], "name": name}))
        for r in self._route_rows(ens).iter_rows(named=True):
            condition = SEVERITIES[r["_severity"]]
            label = "high-risk" if r["_severity"] == "high" else "elevated-risk"
            add(r["_decl"], condition, self._hit(
                condition, f"routed through {r['_country']} ({label} routing country"
                + (f": {r['_note']})" if r["_note"] else ")"),
                {"country": r["_country"], "severity": r["_severity"], "note": r["_note"]}))
        for r in self._item_rows(ens).sort("_decl", "item").iter_rows(named=True):
            if r["_vague"]:
                terms = list(dict.fromkeys(r["_terms"] or []))
                text = (r["description"] or "").strip()
                reason = (f"goods description \"{text}\" is too vague to assess"
                          + (f" ({', '.join(terms)})" if terms else "")
                          if text else "no goods description")
                add(r["_decl"], "vague_description", self._hit(
                    "vague_description", reason,
                    {"description": r["description"], "terms": terms}, item=r["item"]))
            if r["_dg"]:
                name = self.dangerous_goods[r["_un"]]
                add(r["_decl"], "dangerous_goods", self._hit(
                    "dangerous_goods", f"dangerous goods UN{r['_un']} ({name}) are of concern",
                    {"un_number": r["_un"], "name": name}, item=r["item"]))
        result: list[tuple[int, Hit]] = []
        for decl in sorted(found):
            pairs = found[decl]
            result += [(decl, hit) for hit in self._do_not_load({c for c, _ in pairs})]
            result += [(decl, hit) for _, hit in pairs]
        return result

    def _abroad_hit(self, r: dict[str, Any]) -> Hit:
        """The party abroad cannot be identified (condition `incomplete_consignor`)."""
        role = "consignee" if r["declaration_type"] == "EXS" else "consignor"
        absent = [k for k in self.consignor_required if not (r[f"{role}_{k}"] or "").strip()]
        evidence = {"missing": absent, **({"role": role} if role != "consignor" else {})}
        return self._hit("incomplete_consignor", f"{role} {' and '.join(absent)} missing: "
                         f"the {role} cannot be identified", evidence)

    def _consignee_hit(self, r: dict[str, Any]) -> Hit:
        """The party here is new (condition `new_consignee`): ENS consignee, EXS consignor."""
        role = "consignor" if r["declaration_type"] == "EXS" else "consignee"
        who, days = r[f"{role}_id"], r["trader_days_known"]
        if not (who or "").strip():
            reason = f"no {role} identified"
        elif days is None:
            reason = f"{role} {who} never declared anything before"
        else:
            reason = f"{role} {who} first seen {days} days ago"
        return self._hit("new_consignee", reason, {f"{role}_id": who, "days_known": days})

    def _do_not_load(self, present: set[str]) -> list[Hit]:
        held = set(present) | {d for d, parts in DERIVED.items() if present & set(parts)}
        for combo in self.do_not_load:
            if combo <= held:
                names = [c.replace("_", " ") for c in sorted(combo)]
                together = (", ".join(names[:-1]) + " and " + names[-1] + " together"
                            if len(names) > 1 else names[0])
                return [Hit(source=Source.ENS, ref="ENS-DNL", area=Area.SECURITY,
                            reason=f"do not load: {together}",
                            weight=self.weights[EnsOutcome.DNL], min_channel=Channel.RED,
                            hard=True, instructions=INSTRUCTIONS[EnsOutcome.DNL],
                            ens_outcome=EnsOutcome.DNL,
                            evidence={"condition": "do_not_load",
                                      "combination": sorted(combo)})]
        return []


def ens_outcome(hits: Iterable[Hit]) -> EnsOutcome:
    """The strongest outcome among the hits; NO_RISK when none carries one."""
    outcomes = [h.ens_outcome for h in hits if h.ens_outcome is not None]
    return max(outcomes, key=lambda o: o.rank) if outcomes else EnsOutcome.NO_RISK

"""EDIFACT reading speed against JSON of the same size, and hostile interchanges.

Prints seconds and the ratio to `json.loads` + canonical model validation of the same
declaration in JSON (a baseline measured in the same run, so the figures compare across
machines): a realistic CUSDEC of about 1 MiB (999 demo generator items, the most a
declaration may hold, with long descriptions),
1 MiB of ordinary segments, and the hostile shapes that used to take seconds (2 MiB of
component separators in one element, separator-heavy segments, released characters).

    uv run python benchmarks/edifact_tokenise.py [--mib 1.0] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import time
import warnings
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from clearway.declarations.formats.edifact import read_cusdec
from clearway.declarations.formats.edifact_writer import write_cusdec
from clearway.declarations.formats.json_reader import read_json
from clearway.demo.generator import DeclarationGenerator
from clearway.edifact.tokenizer import parse_segments
from clearway.errors import DocumentInvalid
from clearway.refdata.csvfiles import package_dir, read_directory
from clearway.refdata.model import RefDataSnapshot

UNB = "UNB+UNOC:3+SENDER+RECIPIENT+261120:0900+1'"


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        with contextlib.suppress(DocumentInvalid):  # the time to refuse is what counts
            fn()
        times.append(time.perf_counter() - started)
    return min(times)


def pydifact_tokenise(text: str) -> list[Any]:
    """The tokenising the reader did before (pydifact, a character at a time), for comparison."""
    from pydifact.control import Characters
    from pydifact.parser import Parser, TokenIterator
    from pydifact.tokenizer import Tokenizer

    chars = Characters.from_str(text[:9]) if text.startswith("UNA") else Characters()
    body = text[9:].lstrip("\r\n") if text.startswith("UNA") else text
    parser = Parser(characters=chars)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [parser.convert_raw_segment_to_segment(raw, directory="") for raw in
                parser.convert_tokens_to_raw_segments(
                    TokenIterator(Tokenizer().get_tokens(body, chars)))]


def _cusdec(doc: Any) -> bytes:
    return write_cusdec(doc, sender="SENDER", recipient="RECIPIENT", reference="1",
                        prepared_at=datetime(2026, 11, 20, 9, 0), break_lines=True).encode()


def realistic(mib: float) -> tuple[bytes, bytes]:
    """The same declaration as CUSDEC and as canonical JSON, the CUSDEC about `mib` MiB."""
    ref = RefDataSnapshot.from_texts(read_directory(package_dir()))
    gen = DeclarationGenerator(ref, random.Random(42), date(2026, 11, 20))
    doc = gen.declaration("BENCH-EDI-0001", declarant="RS123456789", items=999)
    edi = _cusdec(doc)
    # 999 items (the most a declaration may hold) make about 0.2 MiB: longer descriptions
    # (in FTX components of 512 characters) bring it to the size asked for.
    extra = max(0, int((mib * 1024 * 1024 - len(edi)) / len(doc.items)))
    words = ("cotton shirts men's knitted " * (extra // 28 + 1))[:extra]
    doc = doc.model_copy(update={"items": [i.model_copy(update={
        "description": f"{i.description} {words}".strip()}) for i in doc.items]})
    edi = _cusdec(doc)
    return edi, doc.model_dump_json(exclude_none=True).encode()


def cases(mib: float) -> dict[str, str]:
    size = int(mib * 1024 * 1024)
    ordinary = "FTX+AAA+++Goods description of an ordinary item+more text:here'"
    return {
        "1 MiB ordinary segments (tokenise)": UNB + ordinary * (size // len(ordinary)),
        "2 MiB component separators in one element": UNB + "FTX+AAA+" + ":" * 2 * size + "'",
        "1 MiB of 98-component elements": UNB + ("FTX+" + ":" * 97 + "x'") * (size // 103),
        "1 MiB released characters": UNB + ("FTX+AAA+++" + "?'?+?:??" * 60 + "'") * (
            size // 490),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mib", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    edi, as_json = realistic(args.mib)
    baseline = best(lambda: read_json(as_json), args.repeat)
    raw_json = best(lambda: json.loads(as_json), args.repeat)
    print(f"baseline: canonical JSON of the same declaration ({len(as_json):,} bytes) read in "
          f"{baseline * 1000:.1f} ms (json.loads alone {raw_json * 1000:.1f} ms)")
    rows = [(f"CUSDEC read_cusdec ({len(edi):,} bytes)", best(lambda: read_cusdec(edi),
                                                              args.repeat))]
    text = edi.decode()
    rows.append(("CUSDEC tokenise only", best(lambda: parse_segments(text), args.repeat)))
    rows.append(("CUSDEC tokenise, pydifact (before)", best(lambda: pydifact_tokenise(text), 1)))
    for name, hostile in cases(args.mib).items():
        data = hostile.encode()
        rows.append((f"{name} ({len(data):,} bytes, read_cusdec)",
                     best(lambda data=data: read_cusdec(data), args.repeat)))  # type: ignore[misc]
    width = max(len(name) for name, _ in rows)
    print(f"{'case':<{width}}  {'ms':>8}  {'x JSON':>7}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds * 1000:8.1f}  {seconds / baseline:7.2f}")


if __name__ == "__main__":
    main()

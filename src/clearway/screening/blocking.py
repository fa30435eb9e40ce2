"""Blocking keys of names: what a list name is filed under and what a query looks up.

A list name is filed under its key words, their 4-letter prefixes and suffixes, each word of
4 letters or more with one letter left out (`~` keys: two words one edit apart share one),
its whole sorted key (`=`) and, for one word, its 3-letter ends. `signature` records a
screened name compactly; `reach` recovers from it every key the name could look up, so the
engine's cache can tell which names a list change may reach.
"""

from __future__ import annotations

from collections.abc import Container, Sequence

from clearway.screening.normalize import NameForm


def bag(form: NameForm, optional: bool = True) -> str:
    """The letters of a name, sorted: their overlap bounds the word-by-word score."""
    tokens = [t for t, o in zip(form.tokens, form.optional, strict=True) if optional or not o]
    return "".join(sorted("".join(tokens)))


def block_keys(form: NameForm, known: Container[str] = ()) -> set[str]:
    """Index keys of a list name; with `known` (the index), the keys a query looks up: a
    word's prefix and suffix only when the word is not on the list; for a short query only
    near-equal names."""
    query = known != ()
    words = {t for alts in form.alts for t in alts}
    keys = set() if query and form.short else set(words)
    if len(form.tokens) == 1:
        keys.update("=" + t for t in words)
        if len(form.key) >= 5:
            keys.update(k for t in words for k in ("1<" + t[:3], "1>" + t[-3:]))
    elif form.short or not query:
        keys.add("=" + form.sorted_key)
    if not (query and form.short) or len(form.tokens) == 1:
        keys.update(k for t in words if len(t) >= 5 and t not in known
                    for k in ("<" + t[:4], ">" + t[-4:]))
        # one edit anywhere (insert, delete, replace, swap) leaves a deletion in common; a
        # word on the list may itself be a typo of another listed word: looked up too
        keys.update(k for t in words if len(t) >= 4 for k in deletions(t))
    return keys


def signature(forms: Sequence[NameForm]) -> str:
    """A compact record of a screened name: per reading its sorted key (and after a `/` the
    same without its optional words), from which `reach` recovers every blocking key the
    name could look up and `Screener.may_meet` its letters."""
    return "|".join(f.sorted_key + ("/" + " ".join(sorted(
        t for t, o in zip(f.tokens, f.optional, strict=True) if not o)) if any(f.optional)
        else "") for f in forms)


def reach(sig: str) -> set[str]:
    """Every key a name with this `signature` could look up, against any list (a superset
    of `block_keys(form, known)` whatever `known` is): a list name filed under none of
    them can never be that name's candidate."""
    keys: set[str] = set()
    for part in sig.split("|"):
        sorted_key = part.split("/")[0]
        keys.add("=" + sorted_key)
        for t in sorted_key.split():
            keys.update((t, "=" + t, "1<" + t[:3], "1>" + t[-3:], "<" + t[:4], ">" + t[-4:]))
            if len(t) >= 4:
                keys.update(deletions(t))
    return keys


def deletions(word: str) -> set[str]:
    """The word with each letter left out in turn (`~` keys): two words one edit apart share
    one of them (or one is the other's)."""
    return {"~" + word, *("~" + word[:i] + word[i + 1:] for i in range(len(word)))}

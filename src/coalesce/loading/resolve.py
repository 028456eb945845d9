"""Turn what a user types for an actor into the world's code: a pure function of the data, no guessing.

An actor is found by its code (ISO 3166-1 alpha-3, or a bloc's code such as EU), its declared `iso2`
(alpha-2), its name or one of the `aliases` the data declares, compared case- and accent-insensitively
("cote d'ivoire", "TURKIYE", "no"). Nothing else: no fuzzy search, no subdivisions, no external
tables, so "Texas", "Bayern" or "Oslo" are errors with "did you mean", never a confident wrong answer.

Each spelling must belong to one actor. Two actors claiming one spelling (an alias that is another
actor's name or alpha-2 code, two actors with one name, a bloc code equal to a state's alpha-2 such as
NO) is a collision: the resolver leaves that spelling out and lists it in `collisions`, which loading
reports as a data error. So resolution never depends on the order of the file.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

_PUNCTUATION = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})


def fold(text: str) -> str:
    """The comparison form of a spelling: no accents, no case, single spaces, plain apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PUNCTUATION))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


class Identity(NamedTuple):
    """How one actor may be referred to."""

    code: str
    name: str
    iso2: str | None = None
    aliases: tuple[str, ...] = ()


class Collision(NamedTuple):
    """One spelling claimed by two actors: `code` (its `field`) and `other` (its `other_field`)."""

    spelling: str
    code: str
    field: str
    other: str
    other_field: str


class UnknownActor(LookupError):
    """No actor matches; `suggestions` holds close codes or names."""

    def __init__(self, text: str, suggestions: list[str], names: dict[str, str] | None = None) -> None:
        self.text = text
        self.suggestions = suggestions
        names = names or {}
        shown = [f"{code} ({names[code]})" if names.get(code, code) != code else code for code in suggestions]
        hint = (
            f"; did you mean {', '.join(shown)}?"
            if suggestions
            else "; no actor has that code, name or alias (regions and cities are not actors; "
            "`coalesce actors` lists them)"
        )
        super().__init__(f"unknown actor {text!r}{hint}")


_FIELD_RANK = {"code": 0, "iso2": 1, "name": 2, "alias": 3}


class Resolver:
    """Resolves actor references against one world's codes, alpha-2 codes, names and aliases."""

    def __init__(self, entries: Iterable[Identity | tuple[str, str, Iterable[str]]]) -> None:
        claims: dict[str, dict[str, tuple[str, str]]] = {}  # folded spelling -> {code: (field, as written)}
        self.labels: dict[str, str] = {}
        """Code -> name, for suggestions."""
        for entry in entries:
            identity = _identity(entry)
            self.labels.setdefault(identity.code, identity.name)
            spellings = [(identity.code, "code"), (identity.name, "name")]
            if identity.iso2:
                spellings.append((identity.iso2, "iso2"))
            spellings += [(alias, "alias") for alias in identity.aliases]
            for text, field in spellings:
                key = fold(text)
                if not key:
                    continue
                owners = claims.setdefault(key, {})
                if identity.code not in owners or (_FIELD_RANK[field], text) < (
                    _FIELD_RANK[owners[identity.code][0]],
                    owners[identity.code][1],
                ):
                    owners[identity.code] = (field, text)
        self.keys: dict[str, str] = {}
        self.collisions: list[Collision] = []
        for key in sorted(claims):
            owners = claims[key]
            if len(owners) == 1:
                (code,) = owners
                self.keys[key] = code
                continue
            ordered = sorted(owners.items(), key=lambda item: (_FIELD_RANK[item[1][0]], item[0]))
            first_code, (first_field, _) = ordered[0]
            for code, (field, text) in ordered[1:]:
                self.collisions.append(Collision(text, code, field, first_code, first_field))
        self._choices: list[str] | None = None

    @classmethod
    def restore(cls, keys: dict[str, str], labels: dict[str, str]) -> Resolver:
        """A resolver from the `keys` and `labels` of one built before for a world without collisions
        (the plain-type cache keeps them, so a warm start folds no spelling)."""
        resolver = cls(())
        resolver.keys, resolver.labels = dict(keys), dict(labels)
        return resolver

    def resolve(self, text: object) -> str:
        """The world code for `text`, or UnknownActor with suggestions."""
        if isinstance(text, bool) or not isinstance(text, str):
            raise UnknownActor(str(text), [])
        code = self.keys.get(fold(text))
        if code is None:
            raise UnknownActor(text.strip(), self.suggest(text), self.labels)
        return code

    def suggest(self, text: str) -> list[str]:
        """Up to three close actors' codes."""
        if self._choices is None:
            self._choices = sorted(self.keys)
        folded = fold(text)
        found: list[str] = []
        for cutoff in (0.75, 0.5):
            for key in difflib.get_close_matches(folded, self._choices, n=6, cutoff=cutoff):
                code = self.keys[key]
                if code not in found:
                    found.append(code)
            if found:
                break
        return found[:3]


def _identity(entry: Identity | tuple[str, str, Iterable[str]]) -> Identity:
    if isinstance(entry, Identity):
        return entry
    code, name, aliases = entry
    return Identity(code, name, None, tuple(aliases))

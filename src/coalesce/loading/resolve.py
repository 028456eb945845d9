"""Turn what a user types for an actor (ISO3, ISO2, a common name) into the world's code.

Exact codes are checked first without importing anything heavy; pycountry is consulted only for
alpha-2 codes and names. An unknown name gets "did you mean" suggestions.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


class UnknownActor(LookupError):
    """No actor matches; `suggestions` holds close codes or names."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.text = text
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown actor {text!r}{hint}")


class Resolver:
    """Resolves actor references against one world's codes, names and aliases."""

    def __init__(self, entries: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        self.codes: dict[str, str] = {}
        self.names: dict[str, str] = {}
        for code, name, aliases in entries:
            self.codes[code.upper()] = code
            self.names[_fold(name)] = code
            for alias in aliases:
                self.names[_fold(alias)] = code

    def resolve(self, text: object) -> str:
        """The world code for `text`, or UnknownActor with suggestions."""
        if isinstance(text, bool) or not isinstance(text, str):
            raise UnknownActor(str(text), [])
        raw = text.strip()
        if raw.upper() in self.codes:
            return self.codes[raw.upper()]
        folded = _fold(raw)
        if folded in self.names:
            return self.names[folded]
        found = _pycountry_alpha3(raw)
        if found is not None and found in self.codes:
            return self.codes[found]
        raise UnknownActor(raw, self.suggest(raw))

    def suggest(self, text: str) -> list[str]:
        """Up to three close codes or names."""
        folded = _fold(text)
        by_name = difflib.get_close_matches(folded, list(self.names), n=3, cutoff=0.6)
        out = [f"{self.names[n]}" for n in by_name]
        out += difflib.get_close_matches(text.upper(), list(self.codes), n=3, cutoff=0.6)
        seen: list[str] = []
        for item in out:
            if item not in seen:
                seen.append(item)
        return seen[:3]


def _pycountry_alpha3(text: str) -> str | None:
    import pycountry  # deferred: only unusual references pay for it

    try:
        country = pycountry.countries.lookup(text)
    except LookupError:
        try:
            matches = pycountry.countries.search_fuzzy(text)
        except LookupError:
            return None
        if len(matches) != 1:
            return None
        country = matches[0]
    return str(country.alpha_3)


def iso3_exists(code: str) -> bool:
    """True when `code` is an ISO 3166-1 alpha-3 code."""
    import pycountry

    return pycountry.countries.get(alpha_3=code) is not None

"""Resolve printed agency names to official names, or say why not.

Order of evidence, strongest first:
1. the printed form is a registry form (official name, short form or alias);
2. spaCy's PhraseMatcher, run over the registry's forms, finds one registry mention
   covering nearly all of the entry (``与海关总署``, ``国家知识产权局有关司局``);
3. a lost stretch (``最 院``: the extract lost the characters between 最 and 院) is
   matched as a pattern; two bodies fitting equally make the entry *ambiguous*;
4. a local body (省发展改革委, 市委组织部) is kept as printed: *unregistered* (in a
   document of a registered jurisdiction its bodies are registry forms: step 1);
5. a name cut off at its end (the statement breaks off: ``…、中央网络安``) is matched
   as the start of registry forms: one body fitting is matched with a confidence below
   1, several make it *ambiguous* (``最高人民`` fits 最高人民法院 and 最高人民检察院);
6. rapidfuzz finds OCR-damaged names (国家知识产杈局) with a confidence; a tie
   between two bodies is again *ambiguous*, never a pick.

A local name that does not end like the name of a body (``省高级人民``: cut off) is
*unknown*: kept as printed, it would pass a piece of a name off as a body.

``nearest`` gives the registered bodies closest to a name the registry does not hold
(plan.json reports each such name once, issue ``unregistered_agency``): candidates for
a reader, never a replacement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from rapidfuzz import fuzz, process
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

from grammar.chars import HAN
from grammar.registry import LOCAL_PREFIX_RE, Agency, Jurisdiction, Registry, ends_like_a_body, jurisdiction_registry, load_jurisdictions, load_registry

REGISTRY = "registry"
FUZZY = "fuzzy"
AMBIGUOUS = "ambiguous"
UNREGISTERED = "unregistered"
UNKNOWN = "unknown"

FUZZY_MIN_SCORE = 80.0
TIE_MARGIN = 2.0
MENTION_MIN_COVER = 0.7
# Nearest registered names offered for a name the registry does not hold.
NEAREST_LIMIT = 3
NEAREST_MIN_SCORE = 40.0
# A cut name must keep at least this many characters: one character (…、教) names nothing.
CUT_MIN_CHARS = 2
# A cut name fitting more bodies than this (国家…, 中央…) is unknown, not ambiguous.
CUT_MAX_CANDIDATES = 8


@dataclass(frozen=True)
class Resolution:
    printed: str
    name: str | None
    status: str
    candidates: tuple[str, ...] = ()
    confidence: float = 1.0
    agency: Agency | None = field(default=None, compare=False)
    level: str = "unknown"


class AgencyResolver:
    def __init__(self, registry: Registry, jurisdiction: Jurisdiction | None = None):
        self.registry = registry
        self.jurisdiction = jurisdiction
        self._nlp = spacy.blank("zh")  # character tokens: no model download needed
        self._matcher = PhraseMatcher(self._nlp.vocab)
        for agency in registry.agencies:
            self._matcher.add(agency.id, [self._nlp.make_doc(form) for form in agency.forms])
        self._by_id = {a.id: a for a in registry.agencies}
        self._forms = sorted(registry.all_forms())

    def mentions(self, text: str) -> list[tuple[int, int, Agency]]:
        """Registry agencies named in ``text``: (start, end, agency), longest matches."""
        doc = self._nlp.make_doc(text)
        spans = [Span(doc, start, end, label=match_id) for match_id, start, end in self._matcher(doc)]
        return [(s.start_char, s.end_char, self._by_id[s.label_]) for s in filter_spans(spans)]

    def resolve(self, printed: str, year: int | None = None, at_break: bool = False) -> Resolution:
        """Resolve one printed name; ``year`` (the plan's) rules out bodies that did not exist then.

        ``at_break``: the statement breaks off right after the name, so it may be cut. A
        whole form that other bodies' forms extend (中央军委 of 中央军委政治工作部) is then
        ambiguous among them: the text cannot say which it was."""
        name = re.sub(r"\s+", "", printed)
        found = self.registry.lookup(name)
        if found and at_break:
            longer = self._cut_match(printed, name, year)
            if longer and longer.status in (FUZZY, AMBIGUOUS):
                names = _unique([a.name for a in found] + list(longer.candidates))
                if len(names) > 1:
                    return Resolution(printed, None, AMBIGUOUS, tuple(sorted(names)), round(1 / len(names), 3))
        if found:
            return self._known(printed, found, 1.0, REGISTRY)
        level = self._local_level(name)
        if level:
            if not ends_like_a_body(name):
                # Not a whole local name: a national name cut off (市场监…) or a local one.
                return self._cut_match(printed, name, year) or Resolution(printed, None, UNKNOWN, (), 0.0)
            if self.jurisdiction:
                level = self.jurisdiction.level_of(name) or level
            return Resolution(printed, name, UNREGISTERED, (), 1.0, None, level)
        mention = self._covering_mention(name)
        if mention:
            return self._known(printed, [mention], 0.9, REGISTRY)
        if re.search(r"\S\s+\S", printed):
            gap = self._gap_match(printed, year)
            if gap:
                return gap
        cut = self._cut_match(printed, name, year)
        if cut:
            return cut
        fuzzy = self._fuzzy(printed, name, year)
        if fuzzy:
            return fuzzy
        if re.search(r"\S\s+\S", printed):
            # Pieces on both sides of a break that no registered name joins: the source
            # never prints them as one name (国家知 | 院), so no name is made of them.
            return Resolution(printed, None, UNKNOWN, (), 0.0)
        if self.registry.looks_like_agency(name):
            return Resolution(printed, name, UNREGISTERED, (), 0.6, None, "unknown")
        return Resolution(printed, None, UNKNOWN, (), 0.0)

    def nearest(self, printed: str, limit: int = NEAREST_LIMIT) -> tuple[str, ...]:
        """The registered bodies closest to a name (rapidfuzz over every registry form),
        best first: candidates for a reader to judge, never a replacement."""
        name = re.sub(r"\s+", "", printed)
        scored: dict[str, float] = {}
        for form, score, _ in process.extract(name, self._forms, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=NEAREST_MIN_SCORE):
            for agency in self.registry.lookup(form):
                scored[agency.name] = max(scored.get(agency.name, 0.0), score)
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(n for n, _ in ranked[:limit])

    def _known(self, printed: str, agencies: list[Agency], confidence: float, status: str) -> Resolution:
        names = _unique(a.name for a in agencies)
        if len(names) > 1:
            return Resolution(printed, None, AMBIGUOUS, tuple(names), round(1 / len(names), 3))
        return Resolution(printed, agencies[0].name, status, (), confidence, agencies[0], agencies[0].level)

    def _covering_mention(self, name: str) -> Agency | None:
        mentions = self.mentions(name)
        if len(mentions) == 1:
            start, end, agency = mentions[0]
            if (end - start) / len(name) >= MENTION_MIN_COVER:
                return agency
        return None

    def _gap_match(self, printed: str, year: int | None) -> Resolution | None:
        """Pieces around a lost stretch must appear in order in the candidate's form."""
        pieces = [re.escape(p) for p in printed.split()]
        pattern = re.compile("^" + ".+".join(pieces) + "$")
        fits = _unique(a.name for a in self.registry.agencies if any(pattern.match(f) for f in a.forms))
        fits = self._existing_in(fits, year)
        if len(fits) == 1:
            agency = next(a for a in self.registry.agencies if a.name == fits[0])
            return Resolution(printed, agency.name, FUZZY, tuple(fits), 0.7, agency, agency.level)
        if len(fits) > 1:
            return Resolution(printed, None, AMBIGUOUS, tuple(fits), round(1 / len(fits), 3))
        return None

    def _local_level(self, name: str) -> str | None:
        """省发展改革委, 广东省科技厅, 市委组织部: a local body, or None.

        A damaged national name that happens to start like one (市场监管总鳥) is not
        local: it is close to a registry form beginning with the same character. But a
        local body named after its national counterpart (市市场监管局: 市 + 市场监管局)
        is close to one too; it is local when the name without its local prefix is at
        least as close to a registry form as the whole name.
        """
        if name.startswith(_NATIONAL_PREFIXES) or not LOCAL_PREFIX_RE.match(name):
            return None
        same_start = [f for f in self._forms if f[0] == name[0]]
        whole = process.extractOne(name, same_start, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN_SCORE)
        if whole:
            rest = _LOCAL_HEAD_RE.sub("", name, count=1)
            rest_best = process.extractOne(rest, self._forms, scorer=fuzz.ratio) if rest and rest != name else None
            if rest_best is None or rest_best[1] < whole[1]:
                return None
        return next((level for pattern, level in _LEVEL_BY_PREFIX if pattern.match(name)), "unknown")

    def _cut_match(self, printed: str, name: str, year: int | None) -> Resolution | None:
        """A name cut off at its end: the bodies one of whose forms begins with it.

        One body is a match below full confidence (the share of the form that survived):
        the characters name no other registered body, but the registry is not every
        body there is. Several bodies make the name ambiguous, never a pick; a stub that
        fits a crowd (国家…) names nothing and is unknown."""
        if len(name) < CUT_MIN_CHARS:
            return None
        fits: dict[str, int] = {}
        for agency in self.registry.agencies:
            lengths = [len(f) for f in agency.forms if len(f) > len(name) and f.startswith(name)]
            if lengths:
                fits[agency.name] = min(lengths + [fits.get(agency.name, 99)])
        names = self._existing_in(list(fits), year)
        if not names:
            return None
        if len(names) == 1:
            agency = next(a for a in self.registry.agencies if a.name == names[0])
            confidence = round(min(0.9, len(name) / fits[agency.name]), 3)
            return Resolution(printed, agency.name, FUZZY, (agency.name,), confidence, agency, agency.level)
        if len(names) > CUT_MAX_CANDIDATES:
            return Resolution(printed, None, UNKNOWN, (), 0.0)
        return Resolution(printed, None, AMBIGUOUS, tuple(sorted(names)), round(1 / len(names), 3))

    def _existing_in(self, names: list[str], year: int | None) -> list[str]:
        """Keep the candidates that existed in the plan's year, if that leaves any."""
        if year is None or len(names) < 2:
            return names
        alive = [n for n in names if any(a.existed_in(year) for a in self.registry.agencies if a.name == n)]
        return alive or names

    def _fuzzy(self, printed: str, name: str, year: int | None) -> Resolution | None:
        scored: dict[str, float] = {}
        for form, score, _ in process.extract(name, self._forms, scorer=fuzz.ratio, limit=10):
            for agency in self.registry.lookup(form):
                scored[agency.name] = max(scored.get(agency.name, 0.0), score)
        ranked = sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked or ranked[0][1] < FUZZY_MIN_SCORE:
            return None
        best, score = ranked[0]
        tied = self._existing_in([n for n, s in ranked if score - s <= TIE_MARGIN], year)
        best = tied[0]
        if len(tied) > 1:
            return Resolution(printed, None, AMBIGUOUS, tuple(tied), round(score / 100 / len(tied), 3))
        agency = next(a for a in self.registry.agencies if a.name == best)
        return Resolution(printed, best, FUZZY, (best,), round(score / 100, 3), agency, agency.level)


_NATIONAL_PREFIXES = ("国家", "国务院", "中国", "中华", "中央", "中共", "全国", "最高")
_LEVEL_BY_PREFIX = (
    (re.compile(rf"^(省|自治区|{HAN}{{1,4}}(省|自治区))"), "provincial"),
    (re.compile(rf"^(市|州|盟|自治州|{HAN}{{1,4}}[市州盟])"), "city"),
    (re.compile(rf"^(区|县|旗|自治县|{HAN}{{1,4}}[区县旗])"), "county"),
    (re.compile(r"^各"), "unknown"),
)

# The local prefix a local body's name starts with (市 of 市市场监管局).
_LOCAL_HEAD_RE = re.compile(r"^(各|省|市|区|县|州|盟|旗|自治区|自治州|自治县)")


def _unique(names) -> list[str]:
    seen: list[str] = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return seen


@lru_cache(maxsize=1)
def default_resolver() -> AgencyResolver:
    return AgencyResolver(load_registry())


@lru_cache(maxsize=8)
def resolver_for(jurisdiction_id: str | None) -> AgencyResolver:
    """National bodies, and the bodies of the document's jurisdiction when it has one."""
    if jurisdiction_id is None:
        return default_resolver()
    place = next(j for j in load_jurisdictions() if j.id == jurisdiction_id)
    return AgencyResolver(jurisdiction_registry(jurisdiction_id), place)

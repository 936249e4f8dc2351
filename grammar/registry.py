"""The agency registry (data/agencies.json): official names, short forms, years.

Plans print short forms (市场监管总局); the registry maps each form to the body's
official name and says when the body existed, because State Council bodies were
reorganised in 2018 and 2023.

Local bodies are named relative to their place (市发展改革委 is 上海市发展和改革委员会
in a Shanghai document, another body in a Guangzhou one), so each jurisdiction has its
own file (data/jurisdictions/*.json) and is used only where the document shows it is
one of that place's (``jurisdiction_of``: its document number, issuer, title).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .chars import HAN

REGISTRY_FILE = Path(__file__).with_name("data") / "agencies.json"
JURISDICTIONS_DIR = Path(__file__).with_name("data") / "jurisdictions"

# Local bodies (省发展改革委, 市委组织部, 区教育局 ...): agencies, kept as printed.
LOCAL_PREFIX_RE = re.compile(rf"^(各|省|市|区|县|州|盟|旗|自治区|自治州|自治县|{HAN}{{1,6}}(省|市|区|县|州))")
_AGENCY_SUFFIX_RE = re.compile(
    r"(部|委|局|厅|院|署|办|会|行|室|所|团|联|协|中心|政府|委员会|办公室|集团|省|市|县|区|各地|有关部门|有关单位)$"
)

# Endings only local bodies use, besides the ones above (广州海关, 交警支队, 中心站, 报社,
# 电视台, 图书馆, 党校, 管理处). Not 科: 省科 is 省科技厅 cut off far more often than a 科.
_LOCAL_END_RE = re.compile(r"(关|队|站|社|台|馆|校|处|庭|园)$")


def ends_like_a_body(name: str) -> bool:
    """省发展改革委, 广州海关, 各区: yes. 省高级人民, 省教, 省, 市市 (a name cut off, a
    bare prefix): no."""
    if len(name) < 2 or re.fullmatch(r"(省|市|区|县|州|盟|旗|自治区|自治州|自治县|各)\1?", name):
        return False
    return bool(_AGENCY_SUFFIX_RE.search(name) or _LOCAL_END_RE.search(name))


@dataclass(frozen=True)
class Agency:
    id: str
    name: str
    short_forms: tuple[str, ...]
    aliases: tuple[str, ...]
    level: str
    kind: str
    valid_from: int | None
    valid_to: int | None
    notes: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.name,) + self.short_forms + self.aliases

    def existed_in(self, year: int | None) -> bool | None:
        if year is None:
            return None
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


class Registry:
    def __init__(self, agencies: list[Agency]):
        self.agencies = tuple(agencies)
        self._by_form: dict[str, list[Agency]] = {}
        for agency in self.agencies:
            for form in agency.forms:
                self._by_form.setdefault(form, []).append(agency)

    def lookup(self, form: str) -> list[Agency]:
        return list(self._by_form.get(form, ()))

    def all_forms(self) -> set[str]:
        return set(self._by_form)

    def looks_like_agency(self, printed: str) -> bool:
        """Is this list entry the name of a body (registered or not)?"""
        name = re.sub(r"\s+", "", printed)
        if not name or len(name) > 30:
            return False
        # A local name must also end like a body: 省高级人民 is a name cut off, not a body.
        return name in self._by_form or bool(_AGENCY_SUFFIX_RE.search(name)) or (bool(LOCAL_PREFIX_RE.match(name)) and ends_like_a_body(name))


def _agencies(data: dict) -> list[Agency]:
    agencies = []
    for entry in data["agencies"]:
        agencies.append(
            Agency(
                id=entry["id"],
                name=entry["name"],
                short_forms=tuple(entry.get("short_forms", ())),
                aliases=tuple(entry.get("aliases", ())),
                level=entry.get("level", "national"),
                kind=entry.get("kind", ""),
                valid_from=entry.get("valid_from"),
                valid_to=entry.get("valid_to"),
                notes=entry.get("notes", ""),
            )
        )
    return agencies


def parse_registry(data: dict) -> Registry:
    return Registry(_agencies(data))


@lru_cache(maxsize=4)
def load_registry(path: Path = REGISTRY_FILE) -> Registry:
    return parse_registry(json.loads(Path(path).read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    name: str  # 上海市
    level: str
    doc_number_prefixes: tuple[str, ...]  # 沪 of 沪府办发〔2025〕11号
    names: tuple[str, ...]
    local_levels: tuple[tuple[str, str], ...]  # (市, provincial): an unregistered 市… body's level
    agencies: tuple[Agency, ...]

    def level_of(self, name: str) -> str | None:
        return next((level for prefix, level in self.local_levels if name.startswith(prefix)), None)


def parse_jurisdiction(data: dict) -> Jurisdiction:
    recognised = data.get("recognised_by", {})
    return Jurisdiction(
        id=data["id"],
        name=data["name"],
        level=data.get("level", "provincial"),
        doc_number_prefixes=tuple(recognised.get("doc_number_prefixes", ())),
        names=tuple(recognised.get("names", ())),
        local_levels=tuple(data.get("local_levels", {}).items()),
        agencies=tuple(_agencies(data)),
    )


@lru_cache(maxsize=1)
def load_jurisdictions(folder: Path = JURISDICTIONS_DIR) -> tuple[Jurisdiction, ...]:
    return tuple(parse_jurisdiction(json.loads(p.read_text(encoding="utf-8"))) for p in sorted(Path(folder).glob("*.json")))


@lru_cache(maxsize=8)
def jurisdiction_registry(jurisdiction_id: str | None) -> Registry:
    """The national registry, with the bodies of one jurisdiction when given."""
    national = load_registry()
    if jurisdiction_id is None:
        return national
    place = next(j for j in load_jurisdictions() if j.id == jurisdiction_id)
    return Registry(list(national.agencies) + list(place.agencies))


# How far into a document its identity is printed (title, number, issuer, addressees).
HEAD_LINES = 40
_MARKUP_RE = re.compile(r"^[\s#*>]*(关于印发)?[《“]?")
_DOC_NUMBER_RE = re.compile(rf"^\s*(?P<prefix>{HAN}{{1,8}})〔(19|20)\d{{2}}〕\d+号")


def jurisdiction_of(text: str, jurisdictions: tuple[Jurisdiction, ...] | None = None) -> Jurisdiction | None:
    """The jurisdiction a document belongs to, read from its head: a document number with
    the place's prefix (沪府办发〔2025〕11号) counts twice, a title or issuer line that
    begins with the place's name (上海市…, 关于印发《上海市…) once. None when no place
    shows, or two show equally (a joint document: no local name is resolved)."""
    jurisdictions = load_jurisdictions() if jurisdictions is None else jurisdictions
    head = [line for line in text.split("\n") if line.strip()][:HEAD_LINES]
    scores: dict[str, int] = {}
    for line in head:
        number = _DOC_NUMBER_RE.match(line)
        opening = _MARKUP_RE.sub("", line, count=1)
        for place in jurisdictions:
            if number and number.group("prefix").startswith(place.doc_number_prefixes):
                scores[place.id] = scores.get(place.id, 0) + 2
            elif place.names and opening.startswith(place.names):
                scores[place.id] = scores.get(place.id, 0) + 1
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return next(j for j in jurisdictions if j.id == ranked[0][0])

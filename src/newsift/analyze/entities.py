"""The entities layer: spaCy's named entities, corrected, with one entity per referent and all its mentions.

Corrections, in order:
1. numeric labels (DATE, TIME, CARDINAL, ORDINAL, QUANTITY, MONEY, PERCENT) are dropped; a leading "the",
   a trailing possessive and anything from a possessive or a date word on are cut off a span
   ("Marchenko's May 3" → "Marchenko");
2. typing: a PERSON right after an outlet noun ("channel, Frontline Truth") and a seat of government
   ("Congress", "the White House") are ORGs; a span followed by a place noun ("Belgorod region",
   "Saltivka district") or whose whole text is a notable gazetteer place (a country, a region, or a city of
   100,000+; of 1,000,000+ when the text is a one-word alternate name of it: "Hamas" is an alternate name
   of Hamm) is a place (GPE), never a PERSON or ORG, unless the same word is part of a longer person name
   in the article;
3. recall: an untagged lone proper noun that is a notable place ("hit Kharkiv", "in Kyiv"), a minor place
   tagged otherwise after a locative preposition ("from Bakhmut and Avdiivka"), and every further
   occurrence of a place name already found, become GPE mentions; a PERSON span takes in the
   capitalised proper nouns just before it ("Ihor" + "Marchenko"), titles excepted;
4. aliases: an acronym defined in the text ("State Emergency Service (SES)", "regional administrations
   (RMAs)") joins its long form, whose initials it spells; a one-word person name joins the longer person
   name it ends or starts ("Marchenko" → "Ihor Marchenko"); place names that denote the same gazetteer place
   ("Odesa", "Odessa") join; a place named as a region ("Kursk region") stays apart from the bare name.
``canonical`` is the fullest form (most words, then most frequent, then first).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from newsift import report as R
from newsift.analyze.dates import MONTHS, WEEKDAYS
from newsift.document import Document
from newsift.geo.gazetteer import GazetteerPlace, gazetteer, normalize_name

NUMERIC_LABELS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
NOTABLE_POPULATION = 100_000
NOTABLE_ALIAS_POPULATION = 1_000_000
INSTITUTIONS = {"Congress", "Parliament", "Senate", "Duma", "State Duma", "Knesset", "Bundestag", "Rada",
                "Verkhovna Rada", "Sejm", "Majlis", "House of Commons", "House of Lords", "White House", "Kremlin",
                "Pentagon", "Capitol", "Capitol Hill", "Downing Street", "Élysée"}
SHARED_PLACE_POPULATION = 50_000
PLACE_NOUNS = re.compile(r"\s+(?:region|oblast|province|district|governorate|prefecture|county|state|"
                         r"territory|raion|city|town|village)\b", re.IGNORECASE)
LOCATIVE = {"in", "from", "to", "near", "outside", "around", "across", "into", "towards", "toward", "at",
            "over", "via", "through", "between", "of", "off", "inside", "beyond", "within", "along", "past"}
REGION_NOUNS = re.compile(r"\s+(?:region|oblast|province|governorate|prefecture|county|state|territory)\b",
                          re.IGNORECASE)
TITLES = {"mr", "mrs", "ms", "dr", "pm", "president", "minister", "prime", "general", "gen", "colonel", "col",
          "senator", "sen", "rep", "governor", "mayor", "spokesman", "spokeswoman", "chief", "commander",
          "lieutenant", "captain", "sergeant", "judge", "pope", "king", "queen", "prince", "princess", "sir",
          "lady", "lord", "professor", "prof", "saint", "st", "chancellor", "ambassador", "secretary"}
ACRONYM_STOPWORDS = {"of", "the", "for", "and", "on", "in", "&", "de", "to"}
_CUT_AT = re.compile(r"['’]s?\b|\n|\s(?:" + "|".join(list(MONTHS) + list(WEEKDAYS)) + r")\b|\s\d")
_LEADING_THE = re.compile(r"^(?:the|The|THE)\s+")
_ACRONYM = re.compile(r"\(\s*(?P<acr>[A-Z][A-Za-z&]{1,9}?)(?P<plural>s)?\s*\)")
_WORD = re.compile(r"[\w&][\w&'’.-]*")


@dataclass
class Mention:
    """A candidate entity mention in article offsets."""

    start: int
    end: int
    label: str


@dataclass
class Group:
    """Mentions taken to name one referent."""

    mentions: list[Mention] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The label most of its mentions have (of those tied, the first to occur): a headline's "TRUMP"
        tagged ORG does not make the twenty "Trump"s after it an organisation."""
        return Counter(m.label for m in self.mentions).most_common(1)[0][0]


def clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` with a leading "the", and anything from a possessive, a line break or a date word on,
    removed."""
    piece = text[start:end]
    lead = _LEADING_THE.match(piece)
    if lead and lead.end() < len(piece):
        start += lead.end()
        piece = text[start:end]
    cut = _CUT_AT.search(piece)
    if cut and cut.start() > 0:
        end = start + cut.start()
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ").":
        end -= 1
    return start, end


def notable_place(name: str) -> GazetteerPlace | None:
    """The gazetteer place ``name`` most likely denotes if it is a country, a region or a city of
    100,000+ (of 1,000,000+ when ``name`` is only one of its alternate names: "Kharkov", but not "Hamas",
    an alternate name of Hamm); else None."""
    key = normalize_name(name)
    for cand in gazetteer().candidates(name):
        alias = normalize_name(cand.name) != key and " " not in key
        least = NOTABLE_ALIAS_POPULATION if alias else NOTABLE_POPULATION
        if cand.kind != "city" or cand.population >= least:
            return cand
    return None


def ner_mentions(doc: Document) -> list[Mention]:
    """spaCy's entities, without numeric labels, cleaned (rule 1)."""
    out = []
    for chunk in doc.chunks:
        for ent in chunk.doc.ents:
            if ent.label_ in NUMERIC_LABELS:
                continue
            start, end = clean_span(doc.text, chunk.offset + ent.start_char, chunk.offset + ent.end_char)
            if sum(ch.isalpha() for ch in doc.text[start:end]) >= 2:
                out.append(Mention(start, end, ent.label_))
    return out


def person_words(text: str, mentions: Iterable[Mention]) -> set[str]:
    """Words of person names of two or more words."""
    words: set[str] = set()
    for m in mentions:
        parts = text[m.start:m.end].split()
        if m.label == "PERSON" and len(parts) > 1:
            words.update(parts)
    return words


_WORD_BEFORE = re.compile(r"(\w+)\W*$")
_OUTLET_BEFORE = re.compile(r"\b(?:channel|newspaper|outlet|website|site|account|page|blog|agency|station|"
                            r"network|magazine|broadcaster|group|movement|party|brigade|battalion),?\s+$",
                            re.IGNORECASE)


_PLACE_AFTER = re.compile(r",\s+(?=[A-Z])")


def locative_cue(text: str, start: int, end: int, place_spans: list[tuple[int, int]]) -> bool:
    """Whether the wording marks ``text[start:end]`` as a place: a locative preposition before it ("in",
    "from", ...), "and" or a comma right after another place ("Bakhmut and Avdiivka"), or a comma and
    another place after it ("Paris, Texas")."""
    after = _PLACE_AFTER.match(text, end)
    if after and any(s == after.end() for s, _ in place_spans):
        return True
    before = _WORD_BEFORE.search(text, max(0, start - 20), start)
    if before is None:
        return False
    if before.group(1).lower() in LOCATIVE:
        return True
    if before.group(1) == "and" or text[max(0, start - 2):start] == ", ":
        anchor = before.start(1) if before.group(1) == "and" else start - 2
        return any(0 <= anchor - e <= 2 for _, e in place_spans)
    return False


_DEMONYM = re.compile(r"(?:an|ian|ish|ese|i|ic|ean|ans|ians|ites?|s)$")


def nationality_words(text: str, mentions: Iterable[Mention]) -> set[str]:
    """Demonyms spaCy tags NORP somewhere in the article ("Jewish", "Kurdish", "Israelis"): never places.
    (spaCy also tags some place names NORP, "Belgorod": those do not look like demonyms.)"""
    names = (text[m.start:m.end] for m in mentions if m.label == "NORP")
    return {name for name in names if _DEMONYM.search(name)}


def retype(text: str, mentions: list[Mention], authors: Collection[str] = ()) -> None:
    """Rule 2: place names are places (a minor place only after a locative preposition); a word of a longer
    person name, or the name of one of the article's ``authors`` (its byline), is a person; a "person" named
    right after an outlet noun ("Telegram channel, Frontline Truth") is an organisation, and so is a seat of
    government ("Congress", "the White House"), which spaCy may tag GPE or FAC."""
    in_names = person_words(text, mentions)
    not_places = in_names | nationality_words(text, mentions)
    people = named_people(text, mentions)
    for m in sorted(mentions, key=lambda m: m.start):
        name = text[m.start:m.end]
        if name in in_names or name in authors:
            m.label = "PERSON"
            continue
        if name in INSTITUTIONS:  # "in Congress" is not Congress, Arizona; the White House not Casablanca
            m.label = "ORG"
            continue
        if m.label in PLACE_LABELS or name in not_places:
            continue
        if m.label == "PERSON" and _OUTLET_BEFORE.search(text, max(0, m.start - 20), m.start):
            m.label = "ORG"
        elif PLACE_NOUNS.match(text, m.end) and len(name.split()) <= 3:
            m.label = "GPE"
        elif notable_place(name) is not None:
            m.label = "GPE"
        elif (" " not in name and name not in people and gazetteer().candidates(name) and locative_cue(
                text, m.start, m.end, [(p.start, p.end) for p in mentions if p.label in PLACE_LABELS])):
            m.label = "GPE"


def named_people(text: str, mentions: list[Mention]) -> set[str]:
    """Names spaCy tags PERSON somewhere with neither a locative preposition nor a list ("and", a comma)
    before them ("approved by the Obama administration"): a minor place of that name after one ("benefited
    from Obama's amnesty") is the person."""
    out = set()
    for m in mentions:
        before = _WORD_BEFORE.search(text, max(0, m.start - 20), m.start)
        word = before.group(1).lower() if before else ""
        if m.label == "PERSON" and word not in LOCATIVE and word != "and" and text[m.start - 2:m.start] != ", ":
            out.add(text[m.start:m.end])
    return out


class Coverage:
    """The characters of the text that mentions already cover (a byte mask: O(1) to mark and to ask)."""

    def __init__(self, size: int, mentions: Iterable[Mention] = ()) -> None:
        self._mask = bytearray(size)
        for m in mentions:
            self.add(m)

    def covers(self, start: int, end: int) -> bool:
        return self._mask.find(1, start, end) != -1

    def add(self, m: Mention) -> None:
        self._mask[m.start:m.end] = b"\x01" * (m.end - m.start)


def _covered(mentions: list[Mention], start: int, end: int) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def _lone_proper_noun(tok) -> bool:
    """A capitalised proper noun, not first in its sentence, not modifying a noun ("Mobile phones"), with no
    proper noun either side."""
    if tok.pos_ != "PROPN" or tok.ent_type_ or not tok.text[:1].isupper() or tok.is_sent_start:
        return False
    if sum(ch.isalpha() for ch in tok.text) < 3:
        return False
    if tok.dep_ in ("compound", "amod") and tok.head.pos_ == "NOUN":
        return False
    neighbours = [tok.doc[i] for i in (tok.i - 1, tok.i + 1) if 0 <= i < len(tok.doc)]
    return all(n.pos_ != "PROPN" for n in neighbours)


def recover_places(doc: Document, mentions: list[Mention]) -> list[Mention]:
    """Rule 3 for places: untagged lone proper nouns that are notable places, and repeats of known place
    names."""
    found: list[Mention] = []
    covered = Coverage(len(doc.text), mentions)
    for chunk in doc.chunks:
        for tok in chunk.doc:
            if not _lone_proper_noun(tok):
                continue
            start = chunk.offset + tok.idx
            end = start + len(tok.text)
            if not covered.covers(start, end) and notable_place(tok.text) is not None:
                found.append(Mention(start, end, "GPE"))
                covered.add(found[-1])
    known = mentions + found
    not_places = person_words(doc.text, known) | nationality_words(doc.text, known)
    places = [m for m in known if m.label in PLACE_LABELS and doc.text[m.start:m.end] not in not_places
              and gazetteer().candidates(doc.text[m.start:m.end])]
    return found + repeats(doc.text, places, PLACE_LABELS, covered)


def repeats(text: str, mentions: list[Mention], labels: set[str], covered: Coverage) -> list[Mention]:
    """Further occurrences of the names of ``mentions`` with one of ``labels`` that ``covered`` does not
    cover yet (they are added to it)."""
    names = {text[m.start:m.end]: m.label for m in mentions if m.label in labels}
    if not names:
        return []
    pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    found = []
    for hit in re.finditer(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", text):
        if hit.group() in names and not covered.covers(hit.start(), hit.end()):
            found.append(Mention(hit.start(), hit.end(), names[hit.group()]))
            covered.add(found[-1])
    return found


def extend_people(doc: Document, mentions: list[Mention]) -> None:
    """Rule 3 for people: a PERSON span takes in the untagged capitalised proper nouns just before it."""
    offsets = [chunk.offset for chunk in doc.chunks]
    for m in mentions:
        if m.label != "PERSON":
            continue
        chunk = doc.chunks[bisect.bisect_right(offsets, m.start) - 1]
        span = chunk.doc.char_span(m.start - chunk.offset, m.end - chunk.offset, alignment_mode="expand")
        if span is None or span.start_char != m.start - chunk.offset:
            continue
        tok = span[0]
        while tok.i > 0:
            prev = tok.nbor(-1)
            if (prev.pos_ != "PROPN" or prev.ent_type_ or not prev.text[:1].isupper()
                    or prev.lower_.rstrip(".") in TITLES or prev.text in MONTHS or prev.text in WEEKDAYS):
                break
            tok = prev
        m.start = chunk.offset + tok.idx


def initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w.lower() not in ACRONYM_STOPWORDS).upper()


def acronym_definitions(text: str) -> list[tuple[Mention, str]]:
    """Long forms defined with an acronym in brackets, as (long-form mention, acronym); the long form is the
    shortest run of words before the bracket whose initials (stop words aside) spell the acronym."""
    out = []
    for m in _ACRONYM.finditer(text):
        acronym = m.group("acr")
        words = list(_WORD.finditer(text, max(0, m.start() - 120), m.start()))
        for k in range(1, min(len(words), 10) + 1):
            run = words[-k:]
            if run[0].group().lower() in ACRONYM_STOPWORDS:
                continue
            if initials([w.group() for w in run]) == acronym.upper():
                long_form = Mention(run[0].start(), run[-1].end(), "ORG")
                out.append((long_form, acronym))
                break
    return out


def group_mentions(doc: Document, mentions: list[Mention]) -> list[Group]:
    """Rule 4: one group per referent."""
    text = doc.text
    groups: dict[str, Group] = {}
    alias: dict[str, str] = {}

    def key(m: Mention) -> str:
        """The normalised name; a place named as a region ("Kursk region") apart from the bare name."""
        region = m.label in PLACE_LABELS and REGION_NOUNS.match(text, m.end)
        return normalize_name(text[m.start:m.end]) + (" #region" if region else "")

    for long_form, acronym in acronym_definitions(text):
        inside = [m for m in mentions if m.start < long_form.end and long_form.start < m.end]
        long_form.start = min([long_form.start] + [m.start for m in inside if m.end >= long_form.end])
        long_key = key(long_form)
        label = next((m.label for m in inside if m.label not in ("EVENT", "PRODUCT")), "ORG")
        mentions = [m for m in mentions if m not in inside]
        mentions.append(Mention(long_form.start, long_form.end, label))
        for hit in re.finditer(r"\b" + re.escape(acronym) + r"s?\b", text):
            if not (long_form.start <= hit.start() < long_form.end + len(acronym) + 4):
                mentions = [m for m in mentions if not (m.start < hit.end() and hit.start() < m.end)]
            if not _covered(mentions, hit.start(), hit.end()):
                mentions.append(Mention(hit.start(), hit.end(), label))
            alias[normalize_name(hit.group())] = long_key

    for m in sorted(mentions, key=lambda m: m.start):
        k = alias.get(key(m), key(m))
        groups.setdefault(k, Group()).mentions.append(m)
    merged = _merge_acronyms(text, _merge_short_names(text, groups))
    return _merge_place_variants(text, merged)


def _merge_short_names(text: str, groups: dict[str, Group]) -> list[Group]:
    """A one-word group that spaCy tags PERSON at least once joins the unique longer such group whose name
    starts or ends with it, and its mentions become the person's (spaCy may tag a surname ORG in one
    sentence and PERSON in the next). A name with a title ("PM Orban") and the bare name join the unique full
    name ("Viktor Orban") when there is one, else the bare name joins the unique titled one ("Pope Francis")."""
    def person(g: Group) -> bool:
        return any(m.label == "PERSON" for m in g.mentions)

    def name_words(key: str) -> list[str]:
        return [w for w in key.split() if w.rstrip(".") not in TITLES]

    def named(pool: dict[str, Group], name: str) -> list[Group]:
        return [h for hk, h in pool.items() if name in (hk.split()[0], hk.split()[-1])]

    people = {k: g for k, g in groups.items() if person(g) and " " in k}
    full = {" ".join(name_words(k)): g for k, g in people.items() if len(name_words(k)) > 1}
    kept = []
    for k, g in groups.items():
        words = name_words(k) or k.split()  # a title alone ("the Pope") is a name here
        if person(g) and len(words) == 1:
            hosts = named(full, words[0])
            if len(hosts) != 1:
                hosts = [] if " " in k else named(people, k)
            if len(hosts) == 1:
                for m in g.mentions:
                    m.label = "PERSON"
                hosts[0].mentions.extend(g.mentions)
                continue
        kept.append(g)
    return kept


ACRONYM_LABELS = {"ORG", "GPE", "NORP"}


def _merge_acronyms(text: str, groups: list[Group]) -> list[Group]:
    """An acronym group ("U.N.", "EU", "NATO": two to six capitals, dots aside) joins the unique group of the
    same label (an organisation, a place) of several words whose initials, stop words aside, spell it ("United
    Nations", "North Atlantic Treaty Organization"), even when the article never defines it in brackets
    ("D.C.", a place, stays apart from the "Diplomatic Corps")."""
    def name(g: Group) -> str:
        return text[g.mentions[0].start:g.mentions[0].end]

    long_forms: dict[tuple[str, str], list[Group]] = {}
    for g in groups:
        words = name(g).split()
        if g.label in ACRONYM_LABELS and len(words) > 1:
            long_forms.setdefault((initials(words), g.label), []).append(g)
    kept = []
    for g in groups:
        letters = name(g).replace(".", "")
        hosts = long_forms.get((letters, g.label), []) if len(name(g).split()) == 1 else []
        if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper() and len(hosts) == 1:
            hosts[0].mentions.extend(g.mentions)
            continue
        kept.append(g)
    return kept


def _merge_place_variants(text: str, groups: list[Group]) -> list[Group]:
    """Place groups join when their names differ and the likeliest place of one is a notable candidate of
    the other (a bare name and the same name used for a region stay apart)."""
    kept: list[Group] = []
    candidates: list[set[int]] = []
    names: list[str] = []
    for g in groups:
        name = text[g.mentions[0].start:g.mentions[0].end]
        cands = gazetteer().candidates(name) if g.label in PLACE_LABELS else []
        ids = {c.geonames_id for c in cands if c.kind != "city" or c.population >= SHARED_PLACE_POPULATION}
        top = notable_place(name) if cands else None
        for other, other_ids, other_name in zip(kept, candidates, names, strict=True):
            if (top is not None and top.geonames_id in other_ids
                    and normalize_name(other_name) != normalize_name(name)):
                other.mentions.extend(g.mentions)
                break
        else:
            kept.append(g)
            candidates.append(ids)
            names.append(name)
    return kept


def canonical(text: str, group: Group) -> str:
    """The fullest form: most words, then most frequent, then first (so of two spellings, the one the
    article uses first)."""
    forms = Counter(text[m.start:m.end] for m in group.mentions)
    first: dict[str, int] = {}
    for m in sorted(group.mentions, key=lambda m: m.start):
        first.setdefault(text[m.start:m.end], m.start)
    return max(forms, key=lambda f: (len(f.split()), forms[f], -first[f]))


class EntityAnalyzer:
    """Writes ``doc.entities``."""

    layer = "entities"
    english_only = True

    def __call__(self, doc: Document) -> None:
        mentions = ner_mentions(doc)
        retype(doc.text, mentions, set(doc.article.authors))
        mentions += recover_places(doc, mentions)
        mentions += repeats(doc.text, mentions, {"PERSON"}, Coverage(len(doc.text), mentions))
        extend_people(doc, mentions)
        groups = group_mentions(doc, _dedupe(mentions))
        groups.sort(key=lambda g: min(m.start for m in g.mentions))
        doc.entities = [
            R.Entity(
                id=f"E{i}",
                label=g.label,
                canonical=canonical(doc.text, g),
                mentions=[doc.span(m.start, m.end)
                          for m in sorted(_dedupe(g.mentions), key=lambda m: m.start)],
            )
            for i, g in enumerate(groups, 1)
        ]


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    """Mentions without exact repeats or overlaps (the longer one stays)."""
    kept: list[Mention] = []
    covered = Coverage(max((m.end for m in mentions), default=0))
    for m in sorted(mentions, key=lambda m: (m.start - m.end, m.start)):
        if not covered.covers(m.start, m.end):
            kept.append(m)
            covered.add(m)
    return kept

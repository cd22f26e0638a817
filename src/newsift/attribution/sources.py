"""Source typing and resolution: which real-world source each source mention stands for.

Typing reads the words of the mention's noun phrase (with its relative clause: "who asked not to be
named") against small word lists, in this order: social media, anonymous, media, government, person,
organization. A government body named by a definite description ("the port authority", "the regional
administration in Odesa"), or owned by a name ("Franken's office"), counts as identifiable, hence named; so
does an organisation named by one ("the union", "the company": ``ORGANIZATION_HEADS``).

Resolution links a mention to an earlier source when it is

- a pronoun (he/she/I → the latest person; it/they → the latest non-person source); "he" or "she" goes to
  a person named since that source as the subject of a sentence's main verb, when there is one ("Police
  Chief Hall gave contradictory explanations. She told a town hall …"), may go to an unnamed description of
  one person ("A lawyer for the district said … He declined to say"), and never goes to a source whose words
  ("Mrs", "spokeswoman") tell the other gender,
- a short name (every word of it occurs in an earlier proper name: "Petrenko" → "Olena Petrenko"),
- a definite description whose head noun occurs in an earlier name ("the ministry" → "the Ministry of
  Foreign Affairs", "the channel" → "Frontline Truth … Telegram channel"), or an acronym defined earlier
  ("the SES" after "State Emergency Service (SES)").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

SOCIAL = {"telegram", "twitter", "tweet", "tweeted", "facebook", "instagram", "tiktok", "youtube", "vk",
          "channel", "blogger", "blog", "post", "posts", "account", "users", "user", "comments", "x.com",
          "influencer", "vlogger", "reddit", "whatsapp"}
ANONYMOUS_HEADS = {"official", "officials", "source", "sources", "people", "person", "witness", "witnesses",
                   "expert", "experts", "resident", "residents", "analyst", "analysts", "observer",
                   "observers", "diplomat", "diplomats", "insider", "insiders", "aide", "aides", "woman",
                   "man", "men", "women", "someone", "critics", "critic", "locals", "many", "some", "others",
                   "officer", "officers", "soldier", "soldiers", "employee", "employees", "staff",
                   "spokesperson", "spokesman", "spokeswoman", "members", "member", "activists", "one"}
ANONYMOUS_PHRASES = re.compile(r"familiar with|not to be named|not authori[sz]ed|anonymity|close to|"
                               r"declined to be|who asked|unnamed|unidentified", re.I)
MEDIA = {"newspaper", "outlet", "agency", "reuters", "ap", "afp", "bbc", "cnn", "fox", "msnbc", "nbc", "abc",
         "cbs", "times", "post", "journal", "tv", "television", "broadcaster", "magazine", "tass", "ria",
         "interfax", "ukrinform", "gazette", "tribune", "herald", "news", "radio", "daily", "press"}
GOVERNMENT = {"ministry", "minister", "government", "administration", "department", "service", "army",
              "military", "forces", "police", "parliament", "council", "kremlin", "embassy", "authority",
              "authorities", "commission", "congress", "senate", "court", "prosecutor", "prosecutors",
              "president", "mayor", "governor", "cabinet", "state", "agency", "command", "pentagon",
              "fbi", "cia", "rada", "duma", "office", "committee", "secretary", "white"}
# heads of a definite description of an organisation that the story has in view ("the union said", "the
# company declined"): a body one can ask, not an anonymous source
ORGANIZATION_HEADS = {"union", "unions", "company", "firm", "party", "campaign", "association", "organisation",
                      "organization", "bank", "club", "corporation", "charity", "coalition", "alliance",
                      "federation", "foundation", "institute", "university", "hospital", "league", "church",
                      "operator", "airline", "group", "manufacturer", "publisher", "utility", "insurer"}
WINDOW = 200  # sources an antecedent is looked for among, latest first
PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "me", "we", "us", "you"}
THIRD_PERSON = {"he", "she", "him", "her"}
PRONOUN_GENDER = {"he": {"m"}, "him": {"m"}, "she": {"f"}, "her": {"f"}}
TITLES = {"mr", "mrs", "ms", "dr", "pm", "president", "pope", "cardinal", "bishop", "archbishop", "father",
          "sister", "brother", "king", "queen", "prince", "princess", "sen", "senator", "rep", "governor",
          "mayor", "minister", "chancellor", "judge", "ambassador", "secretary", "chairman", "general",
          "sgt", "sheikh", "imam", "rabbi", "saint", "st"}  # words before a name that are not the name
THING_PRONOUNS = {"it", "they", "them"}
# words that tell a person's gender: "he" or "she" goes to no source known by words of the other (pronouns
# resolved before are no evidence: one wrong resolution would then bar the right ones after it)
FEMININE = {"mrs", "ms", "miss", "madam", "lady", "woman", "spokeswoman", "chairwoman",
            "congresswoman", "businesswoman", "mother", "wife", "daughter", "sister", "queen", "princess", "girl",
            "actress", "grandmother", "aunt", "niece", "widow"}
MASCULINE = {"mr", "sir", "man", "spokesman", "congressman", "businessman", "father",
             "husband", "son", "brother", "king", "prince", "boy", "grandfather", "uncle", "nephew", "widower"}
# heads of an unnamed description that stand for one person ("a lawyer for the district said … He declined")
PERSON_NOUNS = {"official", "source", "person", "witness", "expert", "resident", "analyst", "observer",
                "diplomat", "insider", "aide", "officer", "soldier", "employee", "spokesperson", "spokesman",
                "spokeswoman", "member", "man", "woman", "lawyer", "attorney", "doctor", "nurse", "teacher",
                "student", "driver", "farmer", "worker", "owner", "neighbor", "neighbour", "friend", "relative",
                "victim", "survivor", "commander", "investigator", "prosecutor", "detective", "guard", "pilot",
                "priest", "pastor", "engineer", "scientist", "researcher", "professor", "economist", "executive",
                "manager", "director", "adviser", "advisor", "consultant", "strategist", "activist", "protester",
                "voter", "supporter", "lawmaker", "legislator", "negotiator", "journalist", "reporter",
                "correspondent", "editor", "mother", "father", "wife", "husband", "son", "daughter", "boy",
                "girl"}
_OWNED = re.compile(r"(?:[A-Z][\w.’'-]*\s+)*[A-Z][\w.’'-]*[’']s\s")  # "Franken's …", "Al Franken's …"
_ACRONYM = re.compile(r"\b((?:[A-Z][\w’'-]*\s+){1,8}?[A-Z][\w’'-]*)\s+\(([A-Z]{2,8})\)")


class EntityLike(Protocol):
    start: int
    end: int
    canonical: str
    label: str
    entity: str | None


@dataclass(frozen=True)
class MentionInfo:
    """A source mention: its text, the words of its wider phrase, and the spaCy entity label on it."""

    start: int
    end: int
    text: str
    phrase: str
    ent_label: str | None
    head_pos: str
    quoted: bool = False  # inside a quotation


@dataclass
class SourceRecord:
    """A real-world source being built: its best name, kind and mentions (indices into the mention list)."""

    kind: str
    name: str | None
    description: str
    entity: str | None = None
    mentions: list[MentionInfo] = field(default_factory=list)
    genders: set[str] = field(default_factory=set)  # "f", "m": what its words say (``gender_words``)

    @property
    def named(self) -> bool:
        return self.name is not None and self.kind in ("person", "organization", "media", "government")

    def note_words(self, text: str) -> None:
        """Note the gender the words of a mention or description tell, if any."""
        self.genders |= gender_words(text)

    def may_be(self, pronoun: str) -> bool:
        """Whether "he" or "she" (any other pronoun: always) may stand for this source: not when its words say
        the other gender only."""
        wanted = PRONOUN_GENDER.get(pronoun, set())
        return not wanted or not self.genders or bool(self.genders & wanted)

    def one_unnamed_person(self, pronoun: MentionInfo) -> bool:
        """Whether "he" or "she" outside quotations may stand for this source, the latest: an unnamed description
        of one person ("a lawyer for the district", "the woman"; not of a thing or of several), also outside
        quotations, of that pronoun's gender or none."""
        first, latest = self.mentions[0], self.mentions[-1]
        words = _key_words(first.text)
        return (self.kind == "anonymous" and self.name is None and not pronoun.quoted and not latest.quoted
                and 0 < len(words) <= 3 and words[-1] in PERSON_NOUNS and self.may_be(pronoun.text.lower())
                and first.text.lower().startswith(("a ", "an ", "the ", "one ", "another ")))


def gender_words(text: str) -> set[str]:
    """{"f"} or {"m"} (or both, or neither) for the gendered words of ``text`` ("Mrs", "spokesman")."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    return {g for g, vocab in (("f", FEMININE), ("m", MASCULINE)) if words & vocab}


NAME_LABELS = {"per": "PERSON", "person": "PERSON", "org": "ORG", "organization": "ORG", "gpe": "GPE",
               "loc": "LOC", "location": "LOC", "norp": "NORP", "fac": "FAC", "misc": "MISC",
               "product": "PRODUCT", "work_of_art": "WORK_OF_ART", "event": "EVENT", "law": "LAW"}


def name_label(label: str | None) -> str | None:
    """A named-entity label in spaCy's spelling, or None for labels that are not names (CARDINAL, DATE…)."""
    return NAME_LABELS.get(label.lower()) if label else None


def source_kind(m: MentionInfo) -> str:
    """The kind of a source from its words and entity label (see the module docstring)."""
    words = set(re.findall(r"[\w.]+", m.phrase.lower()))
    head = m.text.lower().split()[-1] if m.text.split() else ""
    proper = m.ent_label is not None or m.head_pos == "PROPN"
    if words & SOCIAL and not (m.ent_label == "PERSON"):
        return "social_media"
    if not proper and (ANONYMOUS_PHRASES.search(m.phrase) or head in ANONYMOUS_HEADS):
        return "anonymous"
    if words & MEDIA and (proper or head in MEDIA) and m.ent_label != "PERSON":
        return "media"
    if words & GOVERNMENT and m.ent_label not in ("PERSON",) and not (m.ent_label is None and proper
                                                                        and head not in GOVERNMENT):
        return "government"
    if m.ent_label == "PERSON" or (proper and m.ent_label is None and len(m.text.split()) <= 3):
        return "person"
    if proper or _the_organization(m, head):
        return "organization"
    return "anonymous"


def _the_organization(m: MentionInfo, head: str) -> bool:
    """"The union", "the company" said: a definite description of an organisation and nothing more ("the
    group of protesters" is a crowd)."""
    return (head in ORGANIZATION_HEADS and m.text.lower().startswith(("the ", "this "))
            and m.phrase.partition(",")[0].strip() == m.text)


def is_proper(m: MentionInfo) -> bool:
    return m.ent_label is not None or m.head_pos == "PROPN"


def acronyms(text: str) -> dict[str, str]:
    """Acronyms defined in the text as ``Full Name (ACR)`` whose initials match, mapped to the full name."""
    out = {}
    for m in _ACRONYM.finditer(text):
        words = [w for w in m.group(1).split() if w[0].isupper()]
        for k in range(len(words), 0, -1):
            if "".join(w[0] for w in words[-k:]) == m.group(2):
                out[m.group(2)] = " ".join(words[-k:])
                break
    return out


def _key_words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w’'-]+", text) if w.lower() not in ("the", "a", "an", "'s", "’s")]


class SourceResolver:
    """Groups source mentions, in text order, into real-world sources (see the module docstring)."""

    def __init__(self, text: str) -> None:
        self.records: list[SourceRecord] = []
        self.by_span: dict[tuple[int, int], SourceRecord] = {}
        self.acronyms = acronyms(text)
        self.subjects: list[EntityLike] = []
        self.last: SourceRecord | None = None  # the source of the latest mention

    def note_subject(self, ref: EntityLike) -> None:
        """A person named as the subject of a sentence's main verb (in text order): whom a later "he" or
        "she" most likely means, even before that person is quoted."""
        self.subjects.append(ref)

    def add(self, m: MentionInfo, entities_before: Sequence[EntityLike] = (), corefer: bool = True
            ) -> SourceRecord:
        """Attach ``m`` to the source it refers to, creating that source if it is new. ``entities_before``
        are the entity mentions up to ``m``, latest first: the one ``m`` overlaps names it, and a short
        description ("the ministry") may stand for one of the others. ``corefer=False``: ``m`` is a source of
        its own, whoever came before (the author's "we")."""
        same = self.by_span.get((m.start, m.end))
        if same is not None:  # the same words, reached again (a relative clause's "who" and its verb)
            return same
        record = self._antecedent(m) if corefer else None
        if record is None:
            ref = _entity_for(m, entities_before)
            if ref is not None:
                m = replace(m, ent_label=m.ent_label or ref.label)
            kind = source_kind(m)
            name = ref.canonical if ref is not None else (_clean_name(m.text) if is_proper(m) else None)
            described, _, rest = m.phrase.partition(",")
            if (name is None and kind in ("government", "organization") and m.text.lower().startswith("the ")
                    and not rest.strip()[:1].isupper()):  # "The minister, Jan Kowal,": named by the apposition
                name = _clean_name(described if len(described) <= 60 else m.text)  # "the port authority"
            elif name is None and kind == "government" and _OWNED.match(m.text):
                name = m.text  # "Franken's office": a named owner's body
            record = SourceRecord(kind=kind, name=name, description=m.phrase,
                                  entity=ref.entity if ref is not None else None)
            record.note_words(m.phrase)
            self.records.append(record)
        return self.attach(record, m)

    def move(self, m: MentionInfo, old: SourceRecord | None, new: SourceRecord) -> None:
        """Count ``m`` as a mention of ``new`` instead of ``old``, which goes when it has no mention left."""
        if old is not None:
            old.mentions = [x for x in old.mentions if x is not m]
            if not old.mentions:
                self.records = [r for r in self.records if r is not old]
        if not any(x is m for x in new.mentions):
            new.mentions.append(m)
            new.note_words(m.text)
        self.by_span[(m.start, m.end)] = new

    def attach(self, record: SourceRecord, m: MentionInfo) -> SourceRecord:
        """Count ``m`` as a mention of ``record``."""
        record.mentions.append(m)
        record.note_words(m.text)
        self.by_span[(m.start, m.end)] = record
        self.last = record
        return record

    def _antecedent(self, m: MentionInfo) -> SourceRecord | None:
        low = m.text.lower()
        if low in PERSON_PRONOUNS:
            third = low in THIRD_PERSON
            unnamed = self.last if third and self.last is not None and self.last.one_unnamed_person(m) else None
            latest = unnamed or self._latest(lambda r: r.kind == "person" and r.may_be(low))
            return (self._subject_since(latest, m) if third else None) or latest
        if low in THING_PRONOUNS:
            return self._latest(lambda r: r.kind != "person")
        words = _key_words(m.text)
        if not words:
            return None
        expanded = self.acronyms.get(m.text.split()[-1])
        if expanded:
            words = _key_words(expanded)
        if is_proper(m) or expanded:
            return self._latest(lambda r: r.name is not None and _contains(_key_words(r.name), words))
        if low.startswith(("the ", "this ", "that ")) and len(words) <= 2:
            head = words[-1]
            return self._latest(lambda r: r.kind not in ("anonymous", "person")
                                and head in _key_words(r.description))
        return None

    def _subject_since(self, latest: SourceRecord | None, m: MentionInfo) -> SourceRecord | None:
        """The source of the last noted subject before ``m`` when it comes after every mention of ``latest``
        (a new source for that person if there is none yet)."""
        subject = next((ref for ref in reversed(self.subjects) if ref.end <= m.start), None)
        # mentions come in text order but for an apposition added after its noun: the last few hold the latest
        if subject is None or (latest is not None and subject.start < max(x.end for x in latest.mentions[-4:])):
            return None
        surname = [w for w in _key_words(subject.canonical) if w not in TITLES][-1:]  # "PM Orban": "orban"
        record = (self._latest(lambda r: r.entity is not None and r.entity == subject.entity)
                  or self._latest(lambda r: r.kind == "person" and r.name is not None and (
                      r.name == subject.canonical or _contains(_key_words(r.name), surname))))
        if record is None:
            record = SourceRecord(kind="person", name=subject.canonical, description=subject.canonical,
                                  entity=subject.entity)
            record.note_words(subject.canonical)
            if not record.may_be(m.text.lower()):
                return None
            self.records.append(record)
        return record if record.may_be(m.text.lower()) else None

    def _latest(self, test) -> SourceRecord | None:
        """The most recent of the last ``WINDOW`` sources that passes ``test`` (a bounded search)."""
        for record in reversed(self.records[-WINDOW:]):
            if test(record):
                return record
        return None


def _entity_for(m: MentionInfo, entities_before: Sequence[EntityLike]) -> EntityLike | None:
    """The entity mention ``m`` overlaps, or for a definite description ("the ministry") or an acronym the
    latest earlier entity whose name contains its head word."""
    overlapping = next((r for r in entities_before if r.start < m.end and m.end - 1 <= r.end), None)
    if overlapping is not None:
        return overlapping
    words = _key_words(m.text)
    if not words or not m.text.lower().startswith(("the ", "this ")) or len(words) > 2:
        return None
    head = words[-1]
    return next((r for r in entities_before if head in _key_words(r.canonical)), None)


def _contains(name_words: list[str], words: list[str]) -> bool:
    """Whether every word of ``words`` is a word of ``name_words`` (a short name of a longer one)."""
    return bool(words) and all(w in name_words for w in words)


def _clean_name(text: str) -> str:
    return re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)

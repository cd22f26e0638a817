"""The attributions layer: who is said to say (or think) what, with the sources resolved and typed.

Relations come from :func:`newsift.attribution.extract.relations` over every parsed sentence; source
mentions are grouped into real-world sources by :class:`newsift.attribution.sources.SourceResolver`, using
the entity layer (``doc.entities``) when it is filled and spaCy's entities otherwise. A sentence that is
all quotation and has no cue of its own continues the direct quote before it (``"This is our home," one
woman said. "Where would we go?"``). Hedges attach as described in :mod:`newsift.attribution.hedges`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from newsift import report as R
from newsift.attribution.cues import CueModel, load_cue_model
from newsift.attribution.extract import QUOTES, Relation, last_word, noun_phrase, relations
from newsift.attribution.hedges import hedge_spans, is_verification_hedge
from newsift.attribution.sources import MentionInfo, SourceRecord, SourceResolver, name_label, source_kind
from newsift.document import Document

MAX_PHRASE_CHARS = 200
NEST = 3  # entity mentions overlapping one position, at most
CANDIDATES = 50  # earlier entity mentions a description may resolve to
FIRST_PERSON = {"i", "we", "me", "us"}
_DOUBLE_MARK = re.compile("''|[\"“”«»„]")
_NAME_GOES_ON = re.compile(r"\s+(?:of|for|on|to)\s")


@dataclass(frozen=True)
class EntityRef:
    """An entity mention usable to name a source: characters, canonical name, label, entity id."""

    start: int
    end: int
    canonical: str
    label: str
    entity: str | None


class EntityIndex:
    """Entity mentions of ``text`` sorted by start, searched by bisection."""

    def __init__(self, refs: list[EntityRef], text: str) -> None:
        self.refs = sorted(refs, key=lambda r: (r.start, r.end))
        self.starts = [r.start for r in self.refs]
        self.text = text

    def at(self, start: int, end: int) -> EntityRef | None:
        """An entity mention overlapping ``[start, end)`` (mentions nest at most a few deep)."""
        i = bisect_left(self.starts, end)
        return next((r for r in reversed(self.refs[max(0, i - NEST) : i]) if start < r.end), None)

    def before(self, m: MentionInfo) -> list[EntityRef]:
        """Up to ``CANDIDATES`` entity mentions ending by the end of ``m``, or going on past it with the
        preposition the parse cut the phrase at ("The Polish Ministry" of "The Polish Ministry of
        Infrastructure said"; not "Obama" of a headline's "Obama Says"), latest first: the name ``m`` is part
        of and what a short description in ``m`` may stand for."""
        i = bisect_left(self.starts, m.end)
        return [r for r in reversed(self.refs[max(0, i - CANDIDATES - NEST) : i])
                if r.end <= m.end or _NAME_GOES_ON.match(self.text, m.end, r.end)][:CANDIDATES]


def entity_refs(doc: Document) -> list[EntityRef]:
    """Entity mentions from the entity layer (``doc.entities``), completed by spaCy's named entities where
    that layer has none, in text order."""
    layer = [EntityRef(m.start, m.end, e.canonical, e.label, e.id) for e in doc.entities for m in e.mentions
             if name_label(e.label)]
    taken = sorted((r.start, r.end) for r in layer)
    spacy_refs = [EntityRef(c.offset + e.start_char, c.offset + e.end_char, e.text, e.label_, None)
                  for c in doc.chunks for e in c.doc.ents if name_label(e.label_)]
    return sorted(layer + [r for r in spacy_refs if not _overlaps_any(taken, r.start, r.end)],
                  key=lambda r: r.start)


def _overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the ``spans`` sorted by start, mentions of names that nest
    at most two deep (binary search for the last ones starting before ``end``)."""
    i = bisect_left(spans, (end,))
    return any(e > start for _, e in spans[max(0, i - 2) : i])


Found = tuple[Relation, int, "SourceRecord | None", "MentionInfo | None"]  # relation, chunk offset, source, mention


class AttributionAnalyzer:
    layer = "attributions"
    english_only = True

    def __init__(self, cues: CueModel | None = None) -> None:
        self._cues = cues

    def __call__(self, doc: Document) -> None:
        cues = self._cues or load_cue_model()
        refs = EntityIndex(entity_refs(doc), doc.text)
        resolver = SourceResolver(doc.text)
        quotations = Quotations(doc.text)
        found: list[Found] = []
        quoting: SourceRecord | None = None  # the source of a direct quote that ended the last sentence
        for chunk, sent in doc.parsed_sentences():
            for ref in _person_subjects(sent, chunk.offset, refs):
                resolver.note_subject(ref)
            rels = _dedupe(relations(sent, cues))
            speakers: list[tuple[Relation, SourceRecord]] = []  # direct quotes of this sentence
            resolved = {}
            for rel in sorted(rels, key=lambda r: _first_person(sent, r)):
                record, mention = _source(doc, chunk.offset, sent, rel, refs, resolver, speakers, quotations)
                if record is not None and rel.direct:
                    speakers.append((rel, record))
                resolved[rel] = (record, mention)
            found += [(rel, chunk.offset, *resolved[rel]) for rel in rels]
            line = _first_line(sent)
            # a quotation line after one that ended with a direct quote continues it, unless the cue of
            # that line took this one as its content ("The minister said:" then the quotation)
            covered = bool(found) and found[-1][1] == chunk.offset and line is not None and (
                found[-1][0].content[0] <= line[0] < found[-1][0].content[1])
            if quoting is not None and line and not covered and not any(r.content[0] < line[1] for r in rels):
                found.append((Relation(line, None, None, None, True), chunk.offset, quoting, None))
            quoting = found[-1][2] if rels and found[-1][0].direct else None
        found = _speakers_of_quotations(quotations, [_whole_quotation(quotations, f) for f in found], resolver)
        doc.sources = _sources(doc, resolver.records)
        ids = {id(r): s.id for r, s in zip(resolver.records, doc.sources, strict=True)}
        doc.attributions = _attributions(doc, found, ids)


def _person_subjects(sent: SpacySpan, offset: int, refs: EntityIndex) -> list[EntityRef]:
    """The person names that are the subject of the sentence's main verb ("Police Chief Hall gave …")."""
    found = (refs.at(offset + t.idx, offset + t.idx + len(t.text)) for t in sent
             if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT")
    return [ref for ref in found if ref is not None and ref.label == "PERSON"]


def _first_person(sent: SpacySpan, rel: Relation) -> bool:
    return rel.source_head is not None and sent.doc[rel.source_head].lower_ in FIRST_PERSON


def _source(doc: Document, offset: int, sent: SpacySpan, rel: Relation, refs: EntityIndex,
            resolver: SourceResolver, speakers: list[tuple[Relation, SourceRecord]], quotations: Quotations
            ) -> tuple[SourceRecord | None, MentionInfo | None]:
    """The source record and mention of a relation: "I" inside a quote is its speaker, and outside any
    quotation a source of its own, the author ("We suspect it will not be long …"), not the person quoted
    last; "who" is the noun its relative clause modifies (or the name that noun is in apposition to: "Iryna, a
    teacher who asked"); anything else goes through the resolver."""
    if rel.source_head is None:
        return None, None
    head = sent.doc[rel.source_head]
    mention = _mention(doc, offset, head, refs, quotations, rel.cue)
    record = None
    if head.lower_ in FIRST_PERSON:
        record = next((rec for r, rec in speakers if r.content[0] <= head.idx < r.content[1]), None)
        if record is None and quotations.around(offset + head.idx) is None:
            return resolver.add(mention, corefer=False), mention
    elif head.tag_ in ("WP", "WDT") and head.head.dep_ == "relcl":
        noun = head.head.head
        if noun.dep_ == "appos" and noun.head.pos_ == "PROPN":  # "Iryna, a teacher who asked": Iryna
            noun = noun.head
        antecedent = _mention(doc, offset, noun, refs, quotations)
        record = resolver.add(antecedent, refs.before(antecedent))
    if record is None:
        return _named(doc, offset, head, resolver.add(mention, refs.before(mention)), refs), mention
    return resolver.attach(record, mention), mention


class Quotations:
    """The double quotation marks (``''`` counts as one) and line breaks of a text, found once, so that the
    quotation around any position is a binary search, not a scan of its paragraph (a 100,000-character
    single-line article has thousands of relations to ask about)."""

    def __init__(self, text: str) -> None:
        self.marks = [m.start() for m in _DOUBLE_MARK.finditer(text)]
        self.breaks = [m.start() for m in re.finditer("\n", text)]
        self.size = len(text)

    def paragraph(self, at: int) -> tuple[int, int]:
        """The line ``at`` lies in: from after the last line break before it to the next one."""
        k = bisect_left(self.breaks, at)
        return (self.breaks[k - 1] + 1 if k else 0), (self.breaks[k] if k < len(self.breaks) else self.size)

    def around(self, at: int) -> tuple[int, int] | None:
        """The quotation ``at`` lies in, from its opening mark to its closing one (or to the end of the
        paragraph: a quotation running over several paragraphs opens each of them and closes only the last);
        None when an even number of marks come before it in its paragraph."""
        start, end = self.paragraph(at)
        first, here = bisect_left(self.marks, start), bisect_left(self.marks, at)
        if (here - first) % 2 == 0:
            return None
        closing = self.marks[here] + 1 if here < bisect_left(self.marks, end) else end
        return self.marks[here - 1], closing


def _whole_quotation(quotations: Quotations, f: Found) -> Found:
    """A cue after a quotation of several sentences takes all of it, not its last sentence ('"This is what I
    know. … We're looking at the needs of the American people," Sanders said')."""
    rel, offset, record, mention = f
    quoted = quotations.around(offset + rel.content[0]) if rel.cue is not None else None
    if quoted is None or not offset <= quoted[0] < offset + rel.content[0] or offset + rel.cue[0] < quoted[1]:
        return f
    whole = Relation((quoted[0] - offset, max(quoted[1] - offset, rel.content[1])), rel.cue, rel.source,
                     rel.source_head, True)
    return whole, offset, record, mention


def _speakers_of_quotations(quotations: Quotations, found: list[Found], resolver: SourceResolver) -> list[Found]:
    """Each "I" or "we" inside a quotation goes to the speaker of that quotation: the source, named outside
    it, of a content inside it ('"… I think we've got to back away from that. … people," Sanders said'), else
    the last source named before it in its paragraph ('Sanders said, going on to contrast … "So I would …').
    Each look-up is a binary search over the named sources, so the pass is O(n log n)."""
    named = [(off + r.content[0], m.start, rec) for r, off, rec, m in found
             if rec is not None and m is not None and m.text.lower() not in FIRST_PERSON]
    by_content = sorted(named, key=lambda x: x[0])
    content_starts = [c for c, _, _ in by_content]
    by_mention = sorted(named, key=lambda x: x[1])
    mention_starts = [m for _, m, _ in by_mention]
    out = []
    for rel, offset, record, mention in found:
        quoted = (quotations.around(mention.start)
                  if mention is not None and mention.text.lower() in FIRST_PERSON else None)
        if quoted is not None:
            q0, q1 = quoted
            inside = by_content[bisect_left(content_starts, q0):bisect_left(content_starts, q1)]
            speaker = next((rec for _, m, rec in inside if not q0 <= m < q1), None)
            if speaker is None:
                k = bisect_left(mention_starts, q0) - 1  # the last source named before the quotation …
                if k >= 0 and mention_starts[k] >= quotations.paragraph(q0)[0]:  # … in its paragraph
                    speaker = by_mention[k][2]
            if speaker is not None and speaker is not record:
                resolver.move(mention, record, speaker)
                record = speaker
        out.append((rel, offset, record, mention))
    return out


def _named(doc: Document, offset: int, head: Token, record: SourceRecord, refs: EntityIndex
           ) -> SourceRecord:
    if record.name is None:
        _name_from_apposition(doc, offset, head, record, refs)
    return record


def _dedupe(rels: list[Relation]) -> list[Relation]:
    """Drop relations whose content repeats an earlier one's."""
    seen, out = set(), []
    for rel in rels:
        if rel.content not in seen:
            seen.add(rel.content)
            out.append(rel)
    return out


def _first_line(sent: SpacySpan) -> tuple[int, int] | None:
    """Characters of the sentence's first line when that line is one quotation ("Where would we go?")."""
    text = sent.text.split("\n", 1)[0]
    stripped = text.strip()
    if len(stripped) < 3 or stripped[0] not in QUOTES or stripped[-1] not in QUOTES:
        return None
    start = sent.start_char + len(text) - len(text.lstrip())
    return start, start + len(stripped)


def _mention(doc: Document, offset: int, head: Token, refs: EntityIndex, quotations: Quotations,
             cue: tuple[int, int] | None = None) -> MentionInfo:
    """The source mention headed by ``head``, with its wider phrase (which ends before the ``cue`` when the
    parse hangs the cue inside it: "a blogger claimed, …" read as a modified noun), the entity label on it and
    whether it lies inside a quotation."""
    start, end = (offset + c for c in noun_phrase(head))
    right = head.right_edge
    if cue is not None and head.idx < cue[0] <= right.idx:
        right = next(t for t in reversed(head.doc[head.i : right.i + 1]) if t.idx < cue[0])
    last = last_word(head, right)
    phrase_end = min(offset + last.idx + len(last.text), start + MAX_PHRASE_CHARS)
    ref = refs.at(offset + head.idx, offset + head.idx + len(head.text))
    label = name_label(ref.label if ref else head.ent_type_)
    return MentionInfo(start, end, doc.text[start:end], doc.text[start:max(end, phrase_end)], label, head.pos_,
                       quotations.around(start) is not None)


def _name_from_apposition(doc: Document, offset: int, head: Token, record: SourceRecord,
                          refs: EntityIndex) -> None:
    """Name an unnamed source after a proper-noun apposition ("a blogger's channel, Frontline Truth,"),
    linked to the entity it is a mention of, and count the apposition as one more mention of the source."""
    appos = next((c for c in head.rights if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if appos is None:
        return
    start, end = offset + appos.left_edge.idx, offset + appos.idx + len(appos.text)
    ref = refs.at(start, end)
    record.name = ref.canonical if ref else doc.text[start:end]
    record.entity = record.entity or (ref.entity if ref else None)
    named = MentionInfo(start, end, record.name, record.name, name_label(ref.label) if ref else None, "PROPN")
    if record.kind == "anonymous":  # "his lawyer, Rudolph W. Giuliani,": the name says who
        record.kind = source_kind(named)
    record.mentions.append(named)


def _sources(doc: Document, records: list[SourceRecord]) -> list[R.Source]:
    return [R.Source(id=f"s{i}", kind=r.kind, named=r.named, name=r.name, description=r.description,
                     entity=r.entity, mentions=[doc.span(m.start, m.end) for m in r.mentions])
            for i, r in enumerate(records, start=1)]


def _attributions(doc: Document, found, ids: dict[int, str]) -> list[R.Attribution]:
    hedges = hedge_spans(doc.text)
    anchors = [_sentence_index(doc, offset + (rel.cue or rel.content)[0]) for rel, offset, _, _ in found]
    out = []
    for n, ((rel, offset, record, mention), anchor) in enumerate(zip(found, anchors, strict=True), start=1):
        c0, c1 = offset + rel.content[0], offset + rel.content[1]
        cue = doc.span(offset + rel.cue[0], offset + rel.cue[1]) if rel.cue else None
        out.append(R.Attribution(
            id=f"a{n}", source=ids[id(record)] if record is not None else None,
            source_span=doc.span(mention.start, mention.end) if mention else None,
            cue=cue, content=doc.span(c0, c1), direct=rel.direct,
            hedges=[doc.span(*h) for h in _hedges_for(doc, hedges, min(c0, cue.start if cue else c0), c1,
                                                      anchor, set(anchors))]))
    return out


def _sentence_index(doc: Document, offset: int) -> int:
    """Index of the last sentence starting at or before ``offset`` (-1 when none does)."""
    return bisect_right(doc.sentences, (offset, len(doc.text) + 1)) - 1


def _hedges_for(doc: Document, hedges: list[tuple[int, int]], start: int, end: int, anchor: int,
                attributed: set[int]) -> list[tuple[int, int]]:
    """Hedges from the start of the attribution's first sentence to the end of its content or of its cue's
    sentence, plus the verification hedges of the sentence after the cue's when that sentence has no
    attribution of its own."""
    first = _sentence_index(doc, start)
    lo = doc.sentences[first][0] if first >= 0 else start
    hi = max(end, doc.sentences[anchor][1] if anchor >= 0 else end)
    out = [h for h in hedges if lo <= h[0] < hi]
    following = anchor + 1
    if following < len(doc.sentences) and following not in attributed:
        f0, f1 = doc.sentences[following]
        out += [h for h in hedges if f0 <= h[0] < f1 and h[0] >= hi and is_verification_hedge(doc.text[h[0]:h[1]])]
    return out

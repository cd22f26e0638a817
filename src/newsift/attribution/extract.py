"""Attribution relations (source, cue, content) read off a spaCy dependency parse.

A cue is a verb the cue model (:mod:`newsift.attribution.cues`, learned from PolNeAR train) scores at or
above its threshold, the phrase "according to", or a headline colon ("Graham: …").
For a cue verb ``v``:

- content: the next line when ``v``'s line ends with a colon (``He said:``); else the subtree of its clausal
  complement (``ccomp``/``xcomp``/``dobj``…); failing that, when ``v`` hangs off the clause it reports
  (``"…," he said``; ``parataxis``), the rest of the sentence;
- source: its subject (``nsubj``, the nearer of two; the ``by`` agent of a passive), inherited from the
  governing verb or adjective for ``xcomp``/``conj``/``acomp`` cues and from the verb a preposition modifies
  for ``pcomp`` ones ("by insisting that …") and from the reporting verb for a participle of saying hung on the
  clause it reports (:func:`_trailing_participle`); failing that, a name, pronoun or noun
  just before the cue that the parse hangs elsewhere (:func:`_noun_before`); the analyser resolves a relative
  pronoun to the noun its clause modifies.

Every step walks a sentence's tokens a bounded number of times, so the time is linear in the text.
All offsets are character offsets into the spaCy ``Doc`` the sentence belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from newsift.attribution.cues import CueModel, sentence_has_quote

QUOTES = "\"'“”‘’«»„‟"
CONTENT_DEPS = ("ccomp", "xcomp", "dobj", "obj", "attr", "oprd")
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
INHERIT_DEPS = ("xcomp", "conj", "advcl", "relcl", "acl", "acomp")
REPORTED_DEPS = ("parataxis", "ccomp", "advcl", "conj", "dep", "ROOT")
NOT_SPEAKER_DEPS = ("dobj", "attr", "npadvmod", "punct", "ROOT")
NP_CUT_DEPS = ("relcl", "acl", "appos", "punct", "cc", "conj", "prep", "advmod")
MAX_SENTENCE_TOKENS = 400
HEDGE_VERBS = ("appear", "seem")  # "a claim that appears to rest on …": hedges, not speech
HEADLINE_SOURCE_TOKENS = 5
EDITORIAL_LABELS = {"update", "updated", "breaking", "breaking news", "watch", "video", "photo", "photos", "listen",
                    "editor 's note", "editor ’s note", "editors note", "note", "exclusive", "opinion",
                    "analysis", "live", "related", "read more", "correction", "clarification", "disclaimer",
                    "warning", "graphic", "source", "h / t", "h/t", "via"}
CUE_POS_TAGS = ("VERB", "AUX")
SAYING_PARTICIPLES = {"say", "add", "note", "insist", "stress", "explain", "argue", "warn", "tell"}
THING_ENTITIES = ("GPE", "ORG", "NORP", "FAC", "LOC", "PRODUCT", "LAW")
CONTENT_PREPS = ("about", "on", "of", "at", "for", "against")
# "chastised reporters on one occasion for …", "at a time": when, not what
TIME_NOUNS = {"time", "times", "occasion", "moment", "day", "night", "week", "month", "year", "basis", "point"}
# "writing on his Telegram channel", "speaking at a news conference": where it was said, not what
VENUE_NOUNS = {"channel", "account", "page", "blog", "website", "site", "podcast", "programme", "program", "show",
               "radio", "television", "tv", "platform", "feed", "twitter", "x", "facebook", "telegram",
               "instagram", "tiktok", "youtube", "reddit", "substack", "weibo", "conference", "briefing", "rally",
               "summit", "forum", "event"}
NOT_CONTENT_OBJECTS = TIME_NOUNS | VENUE_NOUNS
PERSONAL = {"me", "you", "him", "her", "us", "them", "reporters", "journalists"}
# "KYIV, March 3 (Reuters) — ", "WASHINGTON (AP) - ", "CLEVELAND — ": where and when, not the statement
DATELINE = re.compile(r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}(?:, [A-Z][\w.]*(?: [\w.]+){0,3})?"
                      r"(?: \([^()\n]{1,40}\))? ?[—–-]{1,2}(?: |$)")


@dataclass(frozen=True)
class Relation:
    """One attribution in a Doc: character spans, the source's head token index, and whether the content
    is a direct quotation."""

    content: tuple[int, int]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    source_head: int | None
    direct: bool


def relations(sent: SpacySpan, cues: CueModel) -> list[Relation]:
    """The attributions in one parsed sentence (none for over-long 'sentences', which have no usable parse)."""
    if len(sent) > MAX_SENTENCE_TOKENS:
        return []
    out = []
    quoted = sentence_has_quote(sent)
    for tok in sent:
        rel = None
        if tok.lower_ == "according" and (to := _to_after(tok)) is not None:
            rel = _according_to(tok, to, sent)
        elif tok.text == ":":
            rel = _headline_colon(tok, sent)
        elif cues.is_cue(tok, quoted) and tok.lemma_.lower() not in HEDGE_VERBS:
            rel = _verb_cue(tok, sent)
        if rel is not None:
            out.append(rel)
    return out


def _verb_cue(verb: Token, sent: SpacySpan) -> Relation | None:
    deps = {c.dep_ for c in verb.children}
    if "nsubjpass" in deps and not deps & {"agent", "ccomp", "xcomp"}:
        return None  # "Her account could not be verified": a passive with no speaker and no clause
    lo, hi = _paragraph(sent, verb)
    source = _subject(verb)
    # quotation marks inside the source's phrase ('A woman described as a "former official" told …') quote
    # the description, not what is said
    described = (range(source.left_edge.i, source.right_edge.i + 1)
                 if source is not None and not source.left_edge.i <= verb.i <= source.right_edge.i else range(0))
    cue = (verb.idx, verb.idx + len(verb.text))
    if (following := _after_colon(sent.doc, lo, hi, verb)) is not None:
        return _relation(sent, following, cue, source)
    content = (_interrupted_quote(sent.doc, lo, hi, verb, described) or _complement(verb, lo, hi)
               or _clause_after(verb, hi))
    if content is None:
        content = _reported_clause(verb, lo, hi)
        quoted = _quoted_range(sent.doc, lo, hi, verb, described) if content is not None else None
        content = quoted or content
    if content is None:
        return None
    content = (max(content[0], lo), min(content[1], hi))
    return _relation(sent, content, cue, source)


def _to_after(according: Token) -> Token | None:
    """The "to" of "according to": a child of ``according`` that follows it (a parse of a garbled text can
    hang a "to" before it)."""
    return next((c for c in according.rights if c.lower_ == "to"), None)


def _according_to(according: Token, to: Token, sent: SpacySpan) -> Relation | None:
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    content = _rest_of_sentence(sent.doc, *_paragraph(sent, according), according.left_edge.i,
                                according.right_edge.i)
    cue = (according.idx, to.idx + len(to.text))
    return _relation(sent, content, cue, source) if content else None


def _headline_colon(colon: Token, sent: SpacySpan) -> Relation | None:
    """``Graham: Trump's rhetoric destroying GOP's chance`` — a line that opens with a short, verbless noun
    phrase and a colon: the phrase is the source, the rest of the line the content."""
    lo, hi = _paragraph(sent, colon)
    head = colon.doc[lo:colon.i]
    if not 0 < len(head) <= HEADLINE_SOURCE_TOKENS or any(t.pos_ in CUE_POS_TAGS for t in head):
        return None
    if " ".join(t.lower_ for t in head if not t.like_num) in EDITORIAL_LABELS:
        return None  # "Update 2: …", "Watch: …": the outlet's label, not a speaker
    nouns = [t for t in head if t.pos_ in ("PROPN", "NOUN")]
    if not nouns or colon.i + 1 >= hi:
        return None
    cue = (colon.idx, colon.idx + 1)
    return _relation(sent, (colon.i + 1, hi), cue, nouns[-1])


def _relation(sent: SpacySpan, content: tuple[int, int], cue: tuple[int, int] | None,
              source: Token | None) -> Relation | None:
    """Trim the content token range (and a dateline opening it) to characters, drop empty ones, and flag direct
    quotes."""
    doc = sent.doc
    start, end = _trim(doc, *content)
    if start < end and (dateline := DATELINE.match(doc.text, doc[start].idx)):
        while start < end and doc[start].idx < dateline.end():
            start += 1
    if start >= end or (end - start == 1 and doc[start].pos_ != "PRON"):
        return None  # no content, or one word that is not a pronoun: a misparse ("ceasefire talks stall")
    end = _close_quote(doc, start, end)
    c0, c1 = doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)
    src_span = noun_phrase(source) if source is not None else None
    return Relation((c0, c1), cue, src_span, source.i if source is not None else None, _is_quoted(doc, start, end))


def _complement(verb: Token, lo: int, hi: int) -> tuple[int, int] | None:
    """Token range of the verb's complement clause or object in tokens ``lo..hi``, if it has one."""
    for dep in CONTENT_DEPS:
        comp = next((c for c in verb.children if c.dep_ == dep and lo <= c.i < hi and not _recipient(c)), None)
        if comp is not None:
            # "called the allegation untrue": the object and what it is called, as one content
            predicate = next((c for c in verb.rights if c.dep_ == "oprd" and c.i > comp.i and c.i < hi), None)
            return comp.left_edge.i, (predicate or comp).right_edge.i + 1
    prep = next((c for c in verb.rights if c.dep_ == "prep" and c.lower_ in CONTENT_PREPS
                 and not any(_when_or_where(g) for g in c.children)), None)
    if prep is not None:
        return prep.left_edge.i + 1, prep.right_edge.i + 1
    return None


def _clause_after(verb: Token, hi: int) -> tuple[int, int] | None:
    """A "that" clause opening right after the cue's phrase, past punctuation, which the parser hung on
    another verb ("A channel run by a blogger claimed, without offering evidence, that …" parses "claimed"
    as a modifier of "blogger" and the clause as one of "run"): token range of that clause, within ``hi``."""
    doc, k = verb.doc, verb.right_edge.i + 1
    while k < hi and doc[k].is_punct:
        k += 1
    that = doc[k] if k < hi else None
    if that is None or that.lower_ != "that" or that.dep_ != "mark" or that.head.i <= k:
        return None
    return k, min(hi, that.head.right_edge.i + 1)


def _when_or_where(obj: Token) -> bool:
    """A preposition's object that says when or where something was said, not what: a date or time, a time noun
    ("on one occasion"), a venue ("on his Telegram channel Rybar", "at a news conference")."""
    return (obj.ent_type_ in ("DATE", "TIME") or obj.lemma_.lower() in NOT_CONTENT_OBJECTS
            or any(k.dep_ == "compound" and k.lemma_.lower() in VENUE_NOUNS for k in obj.lefts))


def _reported_clause(verb: Token, lo: int, hi: int) -> tuple[int, int] | None:
    """For ``"…," he said`` (the cue clause hangs off the reported clause): the rest of the sentence."""
    if verb.dep_ not in REPORTED_DEPS or not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    left = max(lo, min(verb.left_edge.i, verb.i))
    right = min(hi - 1, verb.right_edge.i)
    if verb.dep_ == "ROOT":
        left, right = verb.i, verb.i
        while left > lo and verb.doc[left - 1].dep_ in SUBJECT_DEPS + ("det", "compound", "amod", "aux"):
            left -= 1
    return _rest_of_sentence(verb.doc, lo, hi, left, right)


def _recipient(obj: Token) -> bool:
    """An object that names who is addressed rather than what is said ("told *her*", "accused *Holt*")."""
    return obj.dep_ in ("dobj", "obj") and (obj.lower_ in PERSONAL or obj.pos_ == "PROPN"
                                             or obj.ent_type_ == "PERSON")


def _rest_of_sentence(doc, lo: int, hi: int, left: int, right: int) -> tuple[int, int] | None:
    """Tokens ``lo..hi`` outside ``left..right``: both sides when the cue interrupts a quotation, else
    the longer side."""
    before, after = (lo, left), (right + 1, hi)
    if _quote_count(doc, *before) and _quote_count(doc, *after):
        return lo, hi
    return max(before, after, key=lambda r: r[1] - r[0]) if max(left - lo, hi - right - 1) > 0 else None


def _paragraph(sent: SpacySpan, tok: Token) -> tuple[int, int]:
    """Token range of ``sent`` that lies in the same line (paragraph) as ``tok``."""
    doc = sent.doc
    lo = tok.i
    while lo > sent.start and "\n" not in doc[lo - 1].text and "\n" not in doc[lo - 1].whitespace_:
        lo -= 1
    hi = tok.i + 1
    while hi < sent.end and "\n" not in doc[hi - 1].whitespace_ and "\n" not in doc[hi].text:
        hi += 1
    return lo, hi


def _after_colon(doc, lo: int, hi: int, verb: Token) -> tuple[int, int] | None:
    """``As commentator Sean Davis tweeted:`` with the words on the next line: when the cue's line (tokens
    ``lo..hi``) ends with a colon that hangs on the cue or on its object ("said the following:"), the next
    line (at most ``MAX_SENTENCE_TOKENS`` tokens); when that line opens with a quotation, the quotation."""
    end = hi
    while end > lo and doc[end - 1].is_space:
        end -= 1
    colon = doc[end - 1]
    if colon.text != ":" or colon.i <= verb.i or not (colon.head == verb or colon.head.head == verb):
        return None
    start = hi
    while start < len(doc) and doc[start].is_space:
        start += 1
    stop = start
    while stop < min(len(doc), start + MAX_SENTENCE_TOKENS) and "\n" not in doc[stop].text:
        stop += 1
        if "\n" in doc[stop - 1].whitespace_:
            break
    marks = _quote_marks(doc, start, stop)
    if len(marks) >= 2 and marks[0] == start:  # a quotation, then perhaps its own cue ('"…," she said.')
        stop = marks[1] + 1
    return (start, stop) if stop > start else None


def _quote_marks(doc, lo: int, hi: int) -> list[int]:
    """Indices of the double quotation-mark tokens in ``lo..hi``."""
    return [t.i for t in doc[lo:hi] if (t.text in QUOTES and t.text not in "'’") or t.text in ("''", "``")]


def _marks_around(doc, lo: int, hi: int, verb: Token, skip: range) -> tuple[list[int], list[int]]:
    """The quotation marks in tokens ``lo..hi`` before and after the cue, those in ``skip`` left out."""
    marks = [m for m in _quote_marks(doc, lo, hi) if m not in skip]
    return [m for m in marks if m < verb.i], [m for m in marks if m > verb.i]


def _quoted_range(doc, lo: int, hi: int, verb: Token, skip: range) -> tuple[int, int] | None:
    """From the first to the last quotation mark in tokens ``lo..hi`` (those in ``skip`` left out) on one side
    of the cue, before it when a quotation closes there: the quoted words."""
    before, after = _marks_around(doc, lo, hi, verb, skip)
    side = before if len(before) >= 2 else after  # never across the cue
    if len(side) < 2:
        return None
    return side[0], side[-1] + 1


def _interrupted_quote(doc, lo: int, hi: int, verb: Token, skip: range) -> tuple[int, int] | None:
    """``"…," she said, "…"``: a closed quotation before the cue and one opened after it (its closing mark
    may fall past the sentence end); both parts, as one range. Marks in ``skip`` do not count."""
    before, after = _marks_around(doc, lo, hi, verb, skip)
    # the quotation resumes right after the cue (its speaker and punctuation between), not in a later clause
    # ('"…," said Rick, before making the claim that it was a "set-up"')
    resumes = bool(after) and all(t.is_punct or t.i in skip for t in doc[verb.i + 1 : after[0]])
    if len(before) >= 2 and len(before) % 2 == 0 and resumes:
        return before[0], (after[-1] + 1 if len(after) >= 2 else hi)
    return None


def _quote_count(doc, start: int, end: int) -> int:
    return sum(1 for t in doc[start:end] if t.text in QUOTES or t.text in ("''", "``"))


def _trim(doc, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation (except quote marks) and conjunctions at either end of a token range."""
    def loose(t: Token) -> bool:
        return (t.is_punct and t.text not in QUOTES) or t.is_space or t.dep_ == "cc"
    while start < end and loose(doc[start]):
        start += 1
    while end > start and loose(doc[end - 1]):
        end -= 1
    return start, end


def _close_quote(doc, start: int, end: int) -> int:
    """Extend a content that leaves a quotation open over the mark that closes it when that mark follows
    within two punctuation tokens (``"… came in," said`` → ``"… came in,"``)."""
    if len(_quote_marks(doc, start, end)) % 2 == 0:
        return end
    for i in range(end, min(end + 3, len(doc))):
        if i in _quote_marks(doc, i, i + 1):
            return i + 1
        if not doc[i].is_punct:
            break
    return end


def _subject(cue: Token) -> Token | None:
    """The source token of a cue verb (see the module docstring)."""
    walked: list[Token] = []
    verb: Token | None = cue
    while verb is not None and len(walked) < 4:
        walked.append(verb)
        # of two subjects, the nearer ('Update 2: …, President Trump has tweeted' parses both as subjects)
        subj = min((c for c in verb.children if c.dep_ in SUBJECT_DEPS), key=lambda c: abs(c.i - verb.i),
                   default=None)
        active = verb is not cue and not any(c.dep_ == "auxpass" for c in walked[-2].children)
        if subj is not None and subj.dep_ == "nsubjpass" and not active:  # "was launched and concluded"
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            subj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if subj is not None:
            return _past_dateline(subj)
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head  # "a statement announcing that …"
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":  # "said, before clarifying that …"
            verb = verb.head.head
        elif verb is cue and _trailing_participle(verb):
            verb = verb.head.head
        else:
            verb = verb.head if verb.dep_ in INHERIT_DEPS and verb.head is not verb else None
    # no subject on the way up: a speaker the parse hung elsewhere, next to one of those verbs
    return next((tok for v in walked for tok in (_noun_before(v), _speaker_after_quote(v)) if tok is not None), None)


def _trailing_participle(verb: Token) -> bool:
    """"denied that Washington was applying pressure, saying …": a participle of saying after a comma that the
    parser hangs on the reported clause, whose subject is a thing or a place, no speaker (a person there may
    be: "Weaver didn't seem impressed, telling"); the speaker is that of the verb reporting the clause."""
    if not (verb.tag_ == "VBG" and verb.dep_ == "advcl" and verb.lemma_.lower() in SAYING_PARTICIPLES
            and verb.head.dep_ == "ccomp" and verb.i > 0 and verb.doc[verb.i - 1].text == ","):
        return False
    subj = next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS), None)
    return subj is not None and (subj.pos_ == "NOUN" or subj.ent_type_ in THING_ENTITIES)


def _past_dateline(subj: Token) -> Token:
    """The speaker behind a dateline parsed as the subject ("CLEVELAND — Former Attorney General Michael Mukasey
    told …": "CLEVELAND", with "Mukasey" as its apposition), else ``subj``."""
    dash = subj.i + 1 < len(subj.doc) and subj.doc[subj.i + 1].text in ("—", "–", "--", "-")
    if dash and len(subj.text) > 2 and subj.text.isupper():
        return next((c for c in subj.rights if c.dep_ == "appos"), subj)
    return subj


def _noun_before(verb: Token) -> Token | None:
    """The noun just before a cue verb that has no subject, past any auxiliaries and adverbs: the parser
    can hang the speaker on the phrase before it ("In a statement after the accusation, Franken's office
    said …" parses "office" as an apposition of "accusation")."""
    k = verb.i - 1
    while k >= verb.sent.start and verb.doc[k].dep_ in ("aux", "neg", "advmod"):
        k -= 1
    # "her senior policy adviser, Jake Sullivan, said": past the comma closing an apposition, to the name
    if k > verb.sent.start and verb.doc[k].text == "," and verb.doc[k - 1].pos_ == "PROPN":
        k -= 1
    if k < verb.sent.start:
        return None
    tok = verb.doc[k]
    # a common noun after a preposition ("in response to the accusation said") or an object is seldom the
    # speaker (PolNeAR train: right 9 times in 30, against 23 in 30 for the roles kept)
    not_speaker = tok.dep_ in NOT_SPEAKER_DEPS or (tok.dep_ == "pobj" and tok.pos_ == "NOUN")
    if tok.pos_ not in ("NOUN", "PROPN", "PRON") or tok.ent_type_ in ("DATE", "TIME") or not_speaker:
        return None
    return tok


def _speaker_after_quote(verb: Token) -> Token | None:
    """The noun phrase right after a cue that follows a closed quotation, when the parser reads it as the
    cue's object ('"…," continued the shooter's neighbor')."""
    k = verb.i - 1
    while k >= verb.sent.start and verb.doc[k].is_punct and not _quote_marks(verb.doc, k, k + 1):
        k -= 1
    if k < verb.sent.start or not _quote_marks(verb.doc, k, k + 1):
        return None
    obj = next((c for c in verb.rights if c.dep_ in ("dobj", "attr")), None)
    if obj is None or obj.pos_ not in ("NOUN", "PROPN") or obj.left_edge.i != verb.i + 1:
        return None
    return obj


def noun_phrase(head: Token) -> tuple[int, int]:
    """Characters of the head's noun phrase without relative clauses, appositions or trailing modifiers."""
    left = head.left_edge
    while left.i < head.i and (left.is_punct or left.dep_ == "cc"):
        left = left.doc[left.i + 1]
    right = head
    for child in head.rights:
        if child.dep_ in NP_CUT_DEPS:
            break
        right = child.right_edge
    right = last_word(head, right)
    return left.idx, right.idx + len(right.text)


def last_word(head: Token, right: Token) -> Token:
    """``right``, or the nearest token before it (but not before ``head``) that is not whitespace or a comma,
    semicolon or colon: the parser may hang a line break or the comma closing a clause on a phrase ("One
    official, who asked not to be named,")."""
    while right.i > head.i and (right.is_space or right.text in (",", ";", ":")):
        right = right.doc[right.i - 1]
    return right


def _is_quoted(doc, start: int, end: int) -> bool:
    """Whether the content tokens ``start..end`` open or close with a double quotation mark (inside the
    content or just outside it)."""
    edges = {max(start - 1, 0), start, end - 1, min(end, len(doc) - 1)}
    return bool(edges & set(_quote_marks(doc, min(edges), max(edges) + 1)))

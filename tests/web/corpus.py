"""A small corpus for the web tests: articles stored with hand-made reports whose spans are found in the
text (so every offset holds), and one rewrite cluster made by the corpus code."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from newsift import __version__
from newsift import report as R
from newsift.corpus.clusters import rebuild_clusters
from newsift.corpus.store import Store, StoredArticle
from newsift.document import Article


@dataclass
class Spec:
    """An article and what its report marks: entities (text, label), claims (text, sourcing, score),
    techniques (text, label), a source (name, kind) that every claim of sourcing 'named' cites."""

    text: str
    title: str
    url: str
    published: str
    entities: list[tuple[str, str]] = field(default_factory=list)
    claims: list[tuple[str, str, float]] = field(default_factory=list)
    techniques: list[tuple[str, str]] = field(default_factory=list)
    source: tuple[str, str] | None = None
    site: str | None = None


COORDS = {"Kherson": (46.64, 32.61), "Kyiv": (50.45, 30.52), "Odesa": (46.48, 30.73)}


def span(text: str, needle: str) -> R.Span:
    start = text.index(needle)
    return R.Span(start=start, end=start + len(needle), text=needle)


def make_report(article: Article, spec: Spec) -> R.Report:
    text = article.text
    entities = [
        R.Entity(id=f"e{i}", label=label, canonical=name, mentions=[span(text, name)])
        for i, (name, label) in enumerate(spec.entities)
    ]
    places = [
        R.Place(
            entity=e.id,
            name=e.canonical,
            kind="city",
            country="UA",
            lat=COORDS[e.canonical][0],
            lon=COORDS[e.canonical][1],
        )
        for e in entities
        if e.canonical in COORDS
    ]
    sources, attributions = [], []
    if spec.source:
        name, kind = spec.source
        sources.append(
            R.Source(id="s0", kind=kind, named=True, name=name, description=name, mentions=[span(text, name)])
        )
    claims = []
    for i, (claim, sourcing, score) in enumerate(spec.claims):
        sp = span(text, claim)
        attribution = None
        if sourcing == "named" and spec.source:
            attribution = f"a{i}"
            attributions.append(R.Attribution(id=attribution, source="s0", content=sp, direct=False))
        claims.append(
            R.Claim(
                id=f"c{i}",
                start=sp.start,
                end=sp.end,
                text=claim,
                checkworthiness=score,
                attribution=attribution,
                sourcing=sourcing,
            )
        )
    techniques = [R.Technique(**span(text, t).model_dump(), technique=label, score=0.8) for t, label in spec.techniques]
    return R.Report(
        article=R.ArticleMeta(
            id=article.id,
            title=article.title,
            url=article.url,
            site=article.site,
            published=article.published.isoformat() if article.published else None,
            language="en",
            text=text,
        ),
        sentences=[R.SentenceRef(start=0, end=len(text))],
        entities=entities,
        places=places,
        dates=[],
        sources=sources,
        attributions=attributions,
        claims=claims,
        techniques=techniques,
        timeline=[],
        summary=R.Summary(
            sourcing=R.SourcingCounts(**Counter(c.sourcing for c in claims)),
            techniques=dict(Counter(t.technique for t in techniques)),
            checkworthy_claims=len(claims),
        ),
    )


def store_specs(db_url: str, specs: list[Spec], analysed: bool = True, clusters: bool = True) -> list[str]:
    """Store the articles (and their reports); their ids in the store."""
    ids = []
    with Store(db_url) as store:
        store.create()
        for spec in specs:
            article = Article(
                text=spec.text,
                title=spec.title,
                url=spec.url,
                site=spec.site,
                published=date.fromisoformat(spec.published),
                origin="test",
            )
            item = StoredArticle.of(article, "file")
            store.insert_articles([item])
            if analysed:
                store.save_report(item.id, make_report(article, spec), __version__)
            ids.append(item.id)
        if clusters:
            rebuild_clusters(store)
    return ids


BASE = (
    "The ministry said on Monday that the bridge at Kherson was destroyed by shelling overnight. "
    "Officials in Kyiv said the attack killed four people and wounded twelve. "
    "The army has promised a full investigation into the strike, a spokesman for the ministry told reporters. "
    "Residents described a night of explosions and fear across the river district."
)


def sample_specs() -> list[Spec]:
    """Five articles: an origin, two rewrites of it (a rewrite cluster), two unrelated articles."""
    copy1 = BASE.replace("on Monday", "on Monday morning").replace("fear", "panic")
    copy2 = BASE.replace("four people", "at least four people") + " Power was cut to thousands of homes."
    claim = "the attack killed four people and wounded twelve"
    return [
        Spec(
            BASE,
            "Bridge destroyed in overnight shelling",
            "https://news-one.example/bridge",
            "2026-05-01",
            entities=[("Kherson", "GPE"), ("Kyiv", "GPE"), ("ministry", "ORG")],
            claims=[(claim, "named", 0.9)],
            techniques=[("a night of explosions and fear", "Appeal_to_fear-prejudice")],
            source=("Officials in Kyiv", "government"),
        ),
        Spec(
            copy1,
            "Bridge hit, four dead",
            "https://copy-two.example/story/1",
            "2026-05-02",
            entities=[("Kherson", "GPE"), ("Kyiv", "GPE")],
            claims=[(claim, "anonymous", 0.8)],
        ),
        Spec(
            copy2,
            "Shelling destroys bridge",
            "https://copy-three.example/a?id=7",
            "2026-05-03",
            entities=[("Kherson", "GPE")],
            claims=[("at least four people", "unattributed", 0.7)],
        ),
        Spec(
            "Grain exports rose in April, the trade office in Odesa reported, citing port data from the "
            "harbour authority. Analysts expect a slower May because of insurance costs.",
            "Grain exports rise",
            "https://markets.example/grain",
            "2026-04-20",
            entities=[("Odesa", "GPE"), ("trade office", "ORG")],
            claims=[("Grain exports rose in April", "named", 0.6)],
            source=("the trade office in Odesa", "government"),
        ),
        Spec(
            "A local football club won the regional cup after a dramatic penalty shoot-out on Sunday evening, "
            "the club announced. Fans celebrated in the city centre until late.",
            "Club wins cup",
            "https://sport.example/cup",
            "2026-03-15",
            entities=[("the club", "ORG")],
            techniques=[("dramatic", "Loaded_Language")],
        ),
    ]

"""Read-only queries the web app runs over the corpus store: the article list (full-text search, filters,
sort, pages), dashboard aggregates, entity and place pages, rewrite clusters.

Every value from a request reaches SQL as a bound parameter; only names from the fixed tables below
(:data:`SORTS`) are written into statements.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from newsift.corpus.search import SearchFilters, fts5_query
from newsift.corpus.store import Store
from newsift.errors import InputError
from newsift.report import Place, Report

SORTS = {
    "newest": "a.published DESC, a.id DESC",
    "oldest": "a.published ASC, a.id ASC",
    "title": "a.title ASC, a.id ASC",
    "site": "a.site ASC, a.published DESC, a.id DESC",
}
RELEVANCE = "relevance"
PLACE_LABELS = ("GPE", "LOC", "FAC")
SNIPPET_CHARS = 200
RANK_LIMIT = 10_000
SAMPLE = 10_000
SORT_INDEXES = {
    "newest": "articles_by_published",
    "oldest": "articles_by_published",
    "title": "articles_by_title",
    "site": "articles_by_site",
}


def filter_sql(filters: SearchFilters) -> tuple[list[str], list[str]]:
    """WHERE clauses (over ``articles a``) and their parameters for the filters; the layer filters are
    ``a.id IN (subquery)`` so each is one index lookup rather than a probe per article."""
    columns = {
        "site": "a.site = ?",
        "since": "a.published >= ?",
        "until": "a.published <= ?",
        "language": "a.language = ?",
    }
    layers = {
        "technique": "a.id IN (SELECT article_id FROM techniques WHERE technique = ?)",
        "source_kind": "a.id IN (SELECT article_id FROM sources WHERE kind = ?)",
        "entity": "a.id IN (SELECT article_id FROM entities WHERE LOWER(canonical) = LOWER(?))",
    }
    clauses, params = [], []
    for name, clause in (columns | layers).items():
        value = getattr(filters, name)
        if value:
            clauses.append(clause)
            params.append(value)
    return clauses, params


@dataclass
class ArticleMeta:
    """An article's stored metadata, as the list and the article page show it."""

    id: str
    title: str | None
    url: str | None
    site: str | None
    published: str | None
    language: str | None


@dataclass
class ArticleRow(ArticleMeta):
    """One line of the article list."""

    snippet: str


@dataclass
class ArticlePage:
    """One page of the article list and the total number of articles that match."""

    rows: list[ArticleRow]
    total: int
    page: int
    per_page: int
    unranked_sort: str | None = None  # the order used instead of relevance when too many articles match
    estimated: bool = False  # whether ``total`` is an estimate (see :func:`_search_sqlite`)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_articles(store: Store, query: str, filters: SearchFilters, sort: str, page: int, per_page: int) -> ArticlePage:
    """The ``page``-th page (from 1) of the articles that match ``query`` (all if empty) and ``filters``,
    in ``sort`` order (:data:`SORTS`, or ``relevance`` for a query).

    Two steps: the page's keys are found first (an index scan, or the full-text match ranked by BM25), then
    only those rows are read and given snippets, so the cost of a page does not grow with the matches'
    text."""
    clauses, params = filter_sql(filters)
    offset = (page - 1) * per_page
    order = SORTS.get(sort)
    if not query.strip():
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        total = int(store.db.execute(f"SELECT COUNT(*) FROM articles a {where}", params)[0][0])
        keys = store.db.execute(
            f"SELECT a.id FROM articles a {where} ORDER BY {order or SORTS['newest']} LIMIT ? OFFSET ?",
            [*params, per_page, offset],
        )
        return ArticlePage(_rows_by_id(store, [k for (k,) in keys]), total, page, per_page)
    if store.db.dialect == "sqlite":
        return _search_sqlite(store, query, clauses, params, sort if order else RELEVANCE, page, per_page)
    where = " AND ".join(["a.fts @@ q", *clauses])
    source = f"FROM articles a, websearch_to_tsquery('english', ?) q WHERE {where}"
    total = int(store.db.execute(f"SELECT COUNT(*) {source}", [query, *params])[0][0])
    rows = store.db.execute(
        "SELECT a.id, a.title, a.url, a.site, a.published, a.language, "
        "ts_headline('english', a.text, q, 'StartSel=\"\", StopSel=\"\", MaxWords=30, MinWords=10') "
        f"{source} ORDER BY {order or 'ts_rank(a.fts, q) DESC, a.id'} LIMIT ? OFFSET ?",
        [query, *params, per_page, offset],
    )
    return ArticlePage([ArticleRow(*r) for r in rows], total, page, per_page)


def _search_sqlite(
    store: Store, query: str, clauses: list[str], params: list[str], sort: str, page: int, per_page: int
) -> ArticlePage:
    """Full-text search on SQLite, its cost bounded however many articles match.

    - Count: the match count comes from the full-text index alone; with filters on top, the filtered
      count is exact when at most :data:`SAMPLE` articles match, else estimated as
      ``total = matches × (filtered among the first SAMPLE matches) / SAMPLE`` (shown as "about").
    - Order: BM25 relevance when at most :data:`RANK_LIMIT` articles match (beyond that a word is in so
      many articles that its IDF, and so BM25, says little, and ranking would cost a score per match);
      otherwise, and for every explicit sort, the sort order's index is walked and matching articles kept
      until the page is full.
    """
    match = fts5_query(query)
    if not match:
        raise InputError(f"the query {query!r} has no words to search for")
    db = store.db
    offset = (page - 1) * per_page
    matches = int(db.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH ?", (match,))[0][0])
    total, estimated = matches, False
    if clauses:
        filtered = " AND ".join(clauses)
        in_sample = int(
            db.execute(
                "SELECT COUNT(*) FROM (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?) m "
                f"JOIN articles a ON a.rowid = m.rowid WHERE {filtered}",
                [match, SAMPLE, *params],
            )[0][0]
        )
        estimated = matches > SAMPLE
        total = round(in_sample * matches / SAMPLE) if estimated else in_sample
    unranked = sort == RELEVANCE and matches > RANK_LIMIT
    if sort == RELEVANCE and not unranked:
        ranked = " AND ".join(["articles_fts MATCH ?", *clauses])
        keys = db.execute(
            f"SELECT a.rowid FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid WHERE {ranked} "
            "ORDER BY bm25(articles_fts) LIMIT ? OFFSET ?",
            [match, *params, per_page, offset],
        )
    else:
        order = "newest" if unranked else sort
        where = " AND ".join(["a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", *clauses])
        index = SORT_INDEXES[order]
        # a read-only store made by an older newsift may lack the index: then SQLite plans the query itself
        hint = (
            f"INDEXED BY {index}"
            if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (index,))
            else ""
        )
        keys = db.execute(
            f"SELECT a.rowid FROM articles a {hint} WHERE {where} ORDER BY {SORTS[order]} LIMIT ? OFFSET ?",
            [match, *params, per_page, offset],
        )
    rows = []
    for (rowid,) in keys:
        rows.extend(
            db.execute(
                "SELECT a.id, a.title, a.url, a.site, a.published, a.language, "
                "snippet(articles_fts, 1, '', '', '…', 24) FROM articles_fts JOIN articles a "
                "ON a.rowid = articles_fts.rowid WHERE articles_fts MATCH ? AND articles_fts.rowid = ?",
                (match, rowid),
            )
        )
    return ArticlePage([ArticleRow(*r) for r in rows], total, page, per_page, "newest" if unranked else None, estimated)


def _rows_by_id(store: Store, ids: list[str]) -> list[ArticleRow]:
    """The list rows of ``ids``, in that order."""
    if not ids:
        return []
    found = store.db.execute(
        "SELECT id, title, url, site, published, language, SUBSTR(text, 1, ?) FROM articles "
        f"WHERE id IN ({', '.join('?' * len(ids))})",
        [SNIPPET_CHARS, *ids],
    )
    by_id = {row[0]: ArticleRow(*row) for row in found}
    return [by_id[i] for i in ids if i in by_id]


@dataclass
class StoredArticleView(ArticleMeta):
    """An article as stored: its metadata and, once analysed, its report."""

    text: str
    report: Report | None
    cluster: str | None = None
    cluster_size: int = 0


def get_article(store: Store, article_id: str) -> StoredArticleView | None:
    rows = store.db.execute(
        "SELECT id, title, url, site, published, language, text, report FROM articles WHERE id = ?",
        (article_id,),
    )
    if not rows:
        return None
    *meta, report = rows[0]
    view = StoredArticleView(*meta, report=Report.model_validate_json(report) if report else None)
    cluster = store.db.execute(
        "SELECT c.cluster_id, (SELECT COUNT(*) FROM clusters d WHERE d.cluster_id = c.cluster_id) "
        "FROM clusters c WHERE c.article_id = ?",
        (article_id,),
    )
    if cluster:
        view.cluster, view.cluster_size = cluster[0]
    return view


def facet(store: Store, sql: str, params: tuple = (), limit: int = 20) -> list[tuple[str, int]]:
    """(value, count) pairs of a ``SELECT value, COUNT(*) ... GROUP BY`` statement, largest first."""
    return [(str(v), int(n)) for v, n in store.db.execute(f"{sql} ORDER BY 2 DESC, 1 LIMIT ?", (*params, limit))]


@dataclass
class Dashboard:
    """The corpus at a glance."""

    articles: int
    analysed: int
    per_month: list[tuple[str, int]]
    sites: list[tuple[str, int]]
    languages: list[tuple[str, int]]
    sourcing_per_month: list[tuple[str, dict[str, int]]]
    techniques: list[tuple[str, int]]
    entities: list[tuple[str, int]]
    places: list[tuple[str, int]]
    clusters: int = 0
    map_svg: str | None = None


def dashboard(store: Store) -> Dashboard:
    db = store.db
    month = "SUBSTR(a.published, 1, 7)"
    per_month = db.execute(
        f"SELECT {month}, COUNT(*) FROM articles a WHERE a.published IS NOT NULL GROUP BY 1 ORDER BY 1"
    )
    sourcing: dict[str, dict[str, int]] = {}
    for m, kind, n in db.execute(
        f"SELECT {month}, c.sourcing, COUNT(*) FROM claims c JOIN articles a ON a.id = c.article_id "
        "WHERE a.published IS NOT NULL GROUP BY 1, 2 ORDER BY 1"
    ):
        sourcing.setdefault(m, {"named": 0, "anonymous": 0, "unattributed": 0})[kind] = int(n)
    places = ", ".join("?" * len(PLACE_LABELS))
    return Dashboard(
        articles=store.count(),
        analysed=store.count("WHERE report IS NOT NULL"),
        per_month=[(m, int(n)) for m, n in per_month],
        sites=facet(store, "SELECT site, COUNT(*) FROM articles WHERE site IS NOT NULL GROUP BY site"),
        languages=facet(store, "SELECT language, COUNT(*) FROM articles WHERE language IS NOT NULL GROUP BY 1"),
        sourcing_per_month=sorted(sourcing.items()),
        techniques=facet(store, "SELECT technique, COUNT(*) FROM techniques GROUP BY technique"),
        entities=facet(
            store,
            f"SELECT canonical, COUNT(*) FROM entities WHERE label NOT IN ({places}) GROUP BY 1",
            PLACE_LABELS,
        ),
        places=facet(
            store, f"SELECT canonical, COUNT(*) FROM entities WHERE label IN ({places}) GROUP BY 1", PLACE_LABELS
        ),
        clusters=int(db.execute("SELECT COUNT(DISTINCT cluster_id) FROM clusters")[0][0]),
        map_svg=_map(mapped_places(store)),
    )


def place_map(store: Store, name: str) -> str | None:
    """The map of the place called ``name``, from the latest articles that locate it."""
    return _map(mapped_places(store, articles=50, limit=1, named=name))


def _map(places: list[Place]) -> str | None:
    """The inline SVG map of the places (the SVG escapes every name), or None without places."""
    from newsift.geo import svg_map

    return svg_map(places) if places else None


def mapped_places(store: Store, articles: int = 300, limit: int = 60, named: str | None = None) -> list[Place]:
    """The ``limit`` places mentioned by most of the ``articles`` latest analysed articles (for the map);
    with ``named``, only the places of that name (case-insensitive) in the articles that mention it."""
    places_json = (
        "json_extract(report, '$.places')" if store.db.dialect == "sqlite" else "(report::json -> 'places')::text"
    )
    counts: Counter[tuple] = Counter()
    places: dict[tuple, Place] = {}
    mentions = "AND id IN (SELECT article_id FROM entities WHERE LOWER(canonical) = LOWER(?))" if named else ""
    for (value,) in store.db.execute(
        f"SELECT {places_json} FROM articles WHERE report IS NOT NULL {mentions} ORDER BY published DESC, id LIMIT ?",
        (named, articles) if named else (articles,),
    ):
        for item in json.loads(value or "[]"):
            place = Place.model_validate(item)
            if named and place.name.lower() != named.lower():
                continue
            key = (place.geonames_id, place.name, place.lat, place.lon)
            places[key] = place
            counts[key] += 1
    return [places[key] for key, _ in counts.most_common(limit)]


@dataclass
class EntityView:
    """Where an entity appears, with whom, and when."""

    name: str
    labels: list[str]
    articles: list[ArticleRow]
    total: int
    together: list[tuple[str, int]]
    per_month: list[tuple[str, int]]


def entity(store: Store, name: str, limit: int = 50) -> EntityView | None:
    """The entity whose canonical name is ``name`` (case-insensitive), or None if no article has it."""
    db = store.db
    labels = [
        r[0]
        for r in db.execute(
            "SELECT label FROM entities WHERE LOWER(canonical) = LOWER(?) GROUP BY label ORDER BY COUNT(*) DESC",
            (name,),
        )
    ]
    if not labels:
        return None
    having = "SELECT article_id FROM entities WHERE LOWER(canonical) = LOWER(?)"
    rows = db.execute(
        "SELECT a.id, a.title, a.url, a.site, a.published, a.language, SUBSTR(a.text, 1, 200) FROM articles a "
        f"WHERE a.id IN ({having}) ORDER BY a.published DESC, a.id LIMIT ?",
        (name, limit),
    )
    total = int(db.execute(f"SELECT COUNT(*) FROM ({having}) x", (name,))[0][0])
    together = facet(
        store,
        f"SELECT e.canonical, COUNT(*) FROM entities e WHERE e.article_id IN ({having}) "
        "AND LOWER(e.canonical) <> LOWER(?) GROUP BY e.canonical",
        (name, name),
    )
    per_month = db.execute(
        "SELECT SUBSTR(a.published, 1, 7), COUNT(*) FROM articles a "
        f"WHERE a.id IN ({having}) AND a.published IS NOT NULL GROUP BY 1 ORDER BY 1",
        (name,),
    )
    return EntityView(
        name, labels, [ArticleRow(*r) for r in rows], total, together, [(m, int(n)) for m, n in per_month]
    )


def top_entities(store: Store, places: bool, limit: int = 200) -> list[tuple[str, int]]:
    """The most mentioned entities (or places), by number of articles."""
    marks = ", ".join("?" * len(PLACE_LABELS))
    negate = "" if places else "NOT"
    return facet(
        store,
        f"SELECT canonical, COUNT(*) FROM entities WHERE label {negate} IN ({marks}) GROUP BY canonical",
        PLACE_LABELS,
        limit,
    )


@dataclass
class DiffRow:
    """One step of a side-by-side diff: the origin's and the copy's text for one alignment opcode."""

    op: str
    origin: str
    copy: str


@dataclass
class ClusterMember:
    id: str
    title: str | None
    site: str | None
    published: str | None
    similarity: float
    is_origin: bool
    method: str | None = None  # how a copy was found: near-copy (MinHash) or paraphrase (sentence alignment)
    diff: list[DiffRow] = field(default_factory=list)


def cluster(store: Store, cluster_id: str) -> list[ClusterMember]:
    """The members of a rewrite cluster, origin first, each copy with its diff against the origin."""
    rows = store.db.execute(
        "SELECT a.id, a.title, a.site, a.published, c.similarity, c.is_origin, c.method, c.alignment, a.text "
        "FROM clusters c JOIN articles a ON a.id = c.article_id WHERE c.cluster_id = ? "
        "ORDER BY c.is_origin DESC, a.published, a.id",
        (cluster_id,),
    )
    if not rows:
        return []
    origin_text = rows[0][8]
    members = []
    for aid, title, site, published, similarity, is_origin, method, alignment, text in rows:
        member = ClusterMember(aid, title, site, published, float(similarity), bool(is_origin), method)
        if alignment:
            member.diff = [
                DiffRow(step["op"], origin_text[slice(*step["origin"])], text[slice(*step["copy"])])
                for step in json.loads(alignment)
            ]
        members.append(member)
    return members


def list_clusters(store: Store, limit: int = 100) -> list[tuple[str, str | None, int]]:
    """(cluster id, origin title, size) of the largest rewrite clusters."""
    return [
        (cid, title, int(n))
        for cid, title, n in store.db.execute(
            "SELECT c.cluster_id, a.title, COUNT(*) FROM clusters c JOIN articles a ON a.id = c.cluster_id "
            "GROUP BY c.cluster_id, a.title ORDER BY 3 DESC, 1 LIMIT ?",
            (limit,),
        )
    ]


@dataclass
class ClaimRow:
    article_id: str
    claim_id: str
    start: int
    end: int
    text: str
    checkworthiness: float
    sourcing: str
    source_name: str | None
    source_kind: str | None


def claims(
    store: Store, article_id: str | None, sourcing: str | None, min_score: float, limit: int, offset: int
) -> list[ClaimRow]:
    """Stored claims, most check-worthy first, optionally of one article or one sourcing."""
    clauses, params = ["checkworthiness >= ?"], [min_score]
    if article_id:
        clauses.append("article_id = ?")
        params.append(article_id)
    if sourcing:
        clauses.append("sourcing = ?")
        params.append(sourcing)
    rows = store.db.execute(
        "SELECT article_id, claim_id, start_char, end_char, text, checkworthiness, sourcing, source_name, "
        f"source_kind FROM claims WHERE {' AND '.join(clauses)} "
        "ORDER BY checkworthiness DESC, article_id, claim_id LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [ClaimRow(*r) for r in rows]


@dataclass
class Carrier:
    """An article that carries a claim: when and where, and how it sources the claim there."""

    id: str
    title: str | None
    site: str | None
    published: str | None
    sourcing: str | None  # None: the words are there but the article's analysis did not mark them a claim
    source_name: str | None
    source_kind: str | None


@dataclass
class ClusterClaim:
    """A member of a claim cluster (``newsift corpus`` claim clusters: the same claim, maybe reworded)."""

    article_id: str
    claim_id: str
    text: str
    title: str | None
    site: str | None
    published: str | None
    sourcing: str
    source_name: str | None
    source_kind: str | None


@dataclass
class ClaimTrace:
    """One claim followed across the corpus: the articles whose text carries its words verbatim, and its
    claim cluster (first seen first) when the corpus has one."""

    claim: ClaimRow
    carriers: list[Carrier]
    cluster: list[ClusterClaim] = field(default_factory=list)

    @property
    def first_seen(self) -> Carrier | None:
        return next((c for c in self.carriers if c.published), self.carriers[0] if self.carriers else None)

    @property
    def outlets(self) -> list[str]:
        return sorted({c.site for c in self.carriers if c.site})


def trace_claim(store: Store, article_id: str, claim_id: str, limit: int = 200) -> ClaimTrace | None:
    """The articles carrying the claim's words as a phrase (full-text search), oldest first, each with
    the sourcing of the claim it marks there (the stored claim with the same text, case-insensitively)."""
    found = claims_of(store, article_id, claim_id)
    if found is None:
        return None
    phrase = '"' + " ".join(found.text.replace('"', " ").split()[:30]) + '"'
    page = list_articles(store, phrase, SearchFilters(), "oldest", 1, limit)
    marked = {
        row[0]: row[1:]
        for row in store.db.execute(
            "SELECT article_id, sourcing, source_name, source_kind FROM claims WHERE LOWER(text) = LOWER(?)",
            (found.text,),
        )
    }
    carriers = [Carrier(r.id, r.title, r.site, r.published, *marked.get(r.id, (None, None, None))) for r in page.rows]
    return ClaimTrace(found, carriers, claim_cluster(store, article_id, claim_id))


def claim_cluster(store: Store, article_id: str, claim_id: str) -> list[ClusterClaim]:
    """The claim cluster the claim belongs to, in the store's order (first seen first); empty if none."""
    rows = store.db.execute(
        "SELECT m.article_id, m.claim_id, c.text, a.title, a.site, a.published, c.sourcing, c.source_name, "
        "c.source_kind FROM claim_clusters k JOIN claim_clusters m ON m.cluster_id = k.cluster_id "
        "JOIN claims c ON c.article_id = m.article_id AND c.claim_id = m.claim_id "
        "JOIN articles a ON a.id = m.article_id WHERE k.article_id = ? AND k.claim_id = ? ORDER BY m.position",
        (article_id, claim_id),
    )
    return [ClusterClaim(*row) for row in rows]


def claims_of(store: Store, article_id: str, claim_id: str) -> ClaimRow | None:
    rows = store.db.execute(
        "SELECT article_id, claim_id, start_char, end_char, text, checkworthiness, sourcing, source_name, "
        "source_kind FROM claims WHERE article_id = ? AND claim_id = ?",
        (article_id, claim_id),
    )
    return ClaimRow(*rows[0]) if rows else None

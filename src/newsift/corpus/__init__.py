"""The corpus: a store of many articles (SQLite or PostgreSQL), ingest, analysis, search, export, rewrite
clusters and fact-check matches for stored claims."""

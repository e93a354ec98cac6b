"""The store's one schema, as SQLAlchemy Core tables: the same on SQLite and PostgreSQL.

Why Core tables and not a script per database: one definition creates a fresh store on either
engine (``METADATA.create_all``) and is what the Alembic revisions in ``migrations/`` lead to.
Text columns hold ISO dates and JSON (as before), so the rows read back the same on both.

Site keys (v4): ``runs.site_key`` names the bureau a run belongs to, so many sites share one
store (a PostgreSQL database for a whole jurisdiction). A single bureau's store uses the empty
key, as every run of an older store does. Articles and list presence are keyed by URL and column
URL, which already belong to one site.
"""
from __future__ import annotations

from sqlalchemy import (Column, Float, ForeignKey, Index, Integer, MetaData, PrimaryKeyConstraint,
                        Table, Text, text)

SCHEMA_VERSION = 9  # the newest Alembic revision is "000<SCHEMA_VERSION>"

METADATA = MetaData()


def _run_fk() -> ForeignKey:
    return ForeignKey("runs.id")


META = Table("meta", METADATA,
             Column("key", Text, primary_key=True),
             Column("value", Text, nullable=False))

RUNS = Table(
    "runs", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", Text, nullable=False),
    Column("finished_at", Text),
    Column("as_of", Text, nullable=False),
    Column("site", Text, nullable=False),
    Column("base_url", Text, nullable=False),
    Column("config_path", Text, nullable=False),
    Column("kind", Text, nullable=False, server_default="run"),         # run | crawl | check
    Column("status", Text, nullable=False, server_default="running"),   # running | finished | failed | interrupted
    Column("stats_json", Text, nullable=False, server_default="{}"),
    Column("mode", Text, nullable=False, server_default="full"),        # full | incremental (v2)
    Column("resumed", Integer, nullable=False, server_default=text("0")),  # resumes of a killed crawl (v2)
    Column("site_key", Text, nullable=False, server_default=""),        # the bureau (v4)
    sqlite_autoincrement=True,
)

COLUMN_FETCHES = Table(
    "column_fetches", METADATA,
    Column("run_id", Integer, _run_fk(), nullable=False),
    Column("item_id", Text, nullable=False),
    Column("column_url", Text, nullable=False),
    Column("status", Integer),
    Column("error", Text),
    Column("pages", Integer, nullable=False, server_default=text("0")),
    Column("entries", Integer, nullable=False, server_default=text("0")),
    Column("notes_json", Text, nullable=False, server_default="[]"),
    Column("walk", Text),                  # full | incremental (v2)
    Column("stop_reason", Text),           # end | known | capped | error (v2)
    Column("complete", Integer, nullable=False, server_default=text("0")),  # read to the list's end (v2)
    Column("pagination_capped", Integer, nullable=False, server_default=text("0")),  # (v2)
    Column("stats_json", Text, nullable=False, server_default="{}"),  # per-column statistics (v2)
    PrimaryKeyConstraint("run_id", "item_id", "column_url"),
)

LISTINGS = Table(
    "listings", METADATA,
    Column("run_id", Integer, _run_fk(), nullable=False),
    Column("item_id", Text, nullable=False),
    Column("column_url", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("list_title", Text, nullable=False, server_default=""),
    Column("list_date", Text),
    Column("found_on", Text, nullable=False, server_default=""),
    Column("position", Integer),       # page number * 10000 + rank on the page (v2)
    Column("carried_from", Integer),   # NULL: listed tonight, else carried over from that run (v2)
    PrimaryKeyConstraint("run_id", "item_id", "url"),
    Index("listings_run", "run_id", "item_id"),
)

ARTICLES = Table(
    "articles", METADATA,
    Column("url", Text, primary_key=True),
    Column("title", Text, nullable=False, server_default=""),
    Column("publish_date", Text),
    Column("date_source", Text, nullable=False, server_default=""),
    Column("written_date", Text),
    Column("written_source", Text, nullable=False, server_default=""),
    Column("doc_number", Text),
    Column("validity", Text),
    Column("meta_publish_date", Text),
    Column("http_status", Integer, nullable=False),
    Column("error", Text),
    Column("body_text", Text, nullable=False, server_default=""),
    Column("links_json", Text, nullable=False, server_default="[]"),
    Column("first_seen_run", Integer, nullable=False),
    Column("last_seen_run", Integer, nullable=False),
    Column("fetched_at", Text, nullable=False),
    Column("etag", Text),            # validators for conditional GETs (v2)
    Column("last_modified", Text),
    Column("validated_at", Text),    # last time the server confirmed the content (v2)
    # v8 (issue 10): a 发布日期 the page shows that the extractor could not use (future, before
    # 1990, 9999-12-31), as printed; and "" when the body was located, else why not.
    Column("rejected_publish_date", Text),
    Column("body_status", Text, nullable=False, server_default=""),
)

FETCH_ERRORS = Table(
    "fetch_errors", METADATA,
    Column("run_id", Integer, _run_fk(), nullable=False),
    Column("url", Text, nullable=False),
    Column("status", Integer),
    Column("error", Text, nullable=False),
    Column("at", Text, nullable=False),
    Index("fetch_errors_run", "run_id", "url"),
)

FINDINGS = Table(
    "findings", METADATA,
    Column("run_id", Integer, _run_fk(), nullable=False),
    Column("item_id", Text, nullable=False),
    Column("rule", Text, nullable=False),
    Column("severity", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("evidence_json", Text, nullable=False),
    Column("details_json", Text, nullable=False),
    Column("key", Text),         # stable identity across runs (audit.history.finding_key) (v3)
    Column("first_seen", Text),  # as-of date of the run that first reported it (v3)
    Column("seq", Integer),      # order within the run, as the audit returned them (v4)
    Index("findings_run", "run_id"),
    Index("findings_key", "key"),
)

ITEM_RESULTS = Table(
    "item_results", METADATA,
    Column("run_id", Integer, _run_fk(), nullable=False),
    Column("item_id", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("latest_publish_date", Text),
    Column("article_count", Integer, nullable=False),
    Column("fails", Integer, nullable=False, server_default=text("0")),  # (v3)
    Column("warns", Integer, nullable=False, server_default=text("0")),
    PrimaryKeyConstraint("run_id", "item_id"),
)

UNIT_RESULTS = Table(   # per 责任单位 and run: score trends (v3)
    "unit_results", METADATA,
    Column("run_id", Integer, _run_fk(), nullable=False),
    Column("unit", Text, nullable=False),
    Column("score", Float, nullable=False),
    Column("status", Text, nullable=False),
    Column("veto", Integer, nullable=False, server_default=text("0")),
    Column("fails", Integer, nullable=False, server_default=text("0")),
    Column("warns", Integer, nullable=False, server_default=text("0")),
    PrimaryKeyConstraint("run_id", "unit"),
)

LIST_PRESENCE = Table(
    "list_presence", METADATA,
    Column("item_id", Text, nullable=False),
    Column("column_url", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("first_seen_run", Integer, nullable=False),
    Column("last_seen_run", Integer, nullable=False),
    Column("gone_since_run", Integer),   # NULL while the list shows it
    Column("list_title", Text, nullable=False, server_default=""),
    Column("list_date", Text),
    Column("found_on", Text, nullable=False, server_default=""),
    PrimaryKeyConstraint("item_id", "column_url", "url"),
)

# v5, 检查指标自查 (issue 15): page facts as last read, and `zwgk probe` results.
PAGE_FACTS = Table(
    "page_facts", METADATA,
    Column("url", Text, nullable=False),
    Column("kind", Text, nullable=False),        # article | list | home | home_column | link
    Column("run_id", Integer, nullable=False),   # the run that read it
    Column("item_id", Text),
    Column("column_url", Text),
    Column("facts_json", Text, nullable=False),  # meta tags, hidden links, masked privacy counts
    PrimaryKeyConstraint("url", "kind"),
    Index("page_facts_run", "run_id"),
)

PROBES = Table(
    "probes", METADATA,
    Column("site", Text, nullable=False),        # base_url of the site
    Column("url", Text, nullable=False),
    Column("at", Text, nullable=False),          # UTC ISO
    Column("status", Integer),                   # NULL: no answer within the timeout
    Column("ok", Integer, nullable=False),
    Column("seconds", Float),
    Column("error", Text),
    Index("probes_site_at", "site", "at"),
)

ATTACHMENTS = Table(   # attachments fetched and read (v6, issue 11): status, kind, text
    "attachments", METADATA,
    Column("url", Text, primary_key=True),
    Column("article_url", Text, nullable=False),
    Column("run_id", Integer, nullable=False),
    Column("http_status", Integer, nullable=False),
    Column("kind", Text, nullable=False, server_default=""),     # pdf, docx, xlsx, doc, …
    Column("status", Text, nullable=False, server_default=""),   # read | unread | empty | too_large | …
    Column("bytes", Integer, nullable=False, server_default=text("0")),
    Column("text", Text, nullable=False, server_default=""),
    Column("doc_number", Text),
    Column("written_date", Text),
    Column("fetched_at", Text, nullable=False),
)

# v4: runs of one site, newest first (history, trends, resume).
Index("runs_site", RUNS.c.site_key, RUNS.c.id)

# v7 (issue 16): a run's audit results as findings.json carries them, keyed by the inputs they
# were computed from (zwgk.stored_results.inputs_key: catalog, as-of, calendar, audit code), so
# `zwgk report` renders them instead of auditing again.
AUDIT_PAYLOADS = Table(
    "audit_payloads", METADATA,
    Column("run_id", Integer, _run_fk(), primary_key=True),
    Column("inputs", Text, nullable=False),
    Column("payload_json", Text, nullable=False),   # the "items" list of findings.json
    Column("saved_at", Text, nullable=False),
)

# v7 (issue 16): each item's audit result under the key of everything it read
# (zwgk.audit.reuse.item_key): an equal key means an equal result, in any run of the store.
ITEM_AUDITS = Table(
    "item_audits", METADATA,
    Column("run_id", Integer, _run_fk(), nullable=False),
    Column("item_id", Text, nullable=False),
    Column("inputs", Text, nullable=False),
    Column("result_json", Text, nullable=False),    # ItemResult.to_json(), before history
    # v9: the as-of dates the result holds for (zwgk.audit.asof), ISO, inclusive; the key
    # leaves the as-of date out, so a result is reused on the next nights while they are in it.
    Column("valid_from", Text),
    Column("valid_to", Text),
    PrimaryKeyConstraint("run_id", "item_id"),
)
Index("item_audits_inputs", ITEM_AUDITS.c.inputs)

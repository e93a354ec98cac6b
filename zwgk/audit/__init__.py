"""Pure judgement of a crawled site against its disclosure catalog.

Nothing in this package performs HTTP or SQL: it receives records (see ``audit.model``) and
returns findings (see ``audit.findings``). Only the CLI wires it to the crawler and the store.
"""

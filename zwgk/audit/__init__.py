"""Pure judgement of a crawled site against its disclosure catalog.

Nothing in this package performs HTTP, SQL or a subprocess: it receives records (see
``audit.model``) and returns findings (see ``audit.findings``). The application layer
(zwgk.usecases, the CLI) wires it to the crawler and the store; zwgk.report renders what it
returns.
"""

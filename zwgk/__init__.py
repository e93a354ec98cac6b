"""zwgk: crawl a bureau's website against its 政务公开 catalog and audit it.

One installed namespace so that the generic names of the layers (crawler, audit, demosite) never
collide with other packages in site-packages:

- ``zwgk.crawler``: fetch and extract; knows nothing of rules.
- ``zwgk.audit``: catalog, calendar and rules: pure functions from catalog + articles to findings.
- ``zwgk.demosite``: the generated demo bureau site and its ground truth.
- ``zwgk.cli`` and the application modules beside it: the thin layer that wires the others.
"""

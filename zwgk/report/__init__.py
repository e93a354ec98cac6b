"""What the auditors and the operators read: the HTML report (``html``, ``charts``, templates/),
the workbook (``workbook``), findings.json and articles.csv (``outputs``), the many-sites
overview (``overview``) and report screenshots (``screenshot``).

Rendering only: these modules take the audit's findings and records and turn them into files;
they judge nothing (audit/) and fetch nothing (crawler/). The application layer (cli, usecases)
decides when to call them.
"""

"""The bundled demo website of a fictional 住建局 with seeded disclosure defects (see docs/demo-site.md)."""

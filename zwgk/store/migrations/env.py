"""Alembic environment: migrations run on the connection the Store hands over (never from a URL
in a config file), inside the Store's one transaction."""
from alembic import context

from zwgk.store.schema import METADATA

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=METADATA,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()

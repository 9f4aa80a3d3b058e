"""Alembic environment: runs on the connection that storage.db.Database.migrate hands over."""

from alembic import context
from sqlalchemy import Connection, create_engine

from storage.models import Base
from storage.search import not_in_models

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise RuntimeError("run the migrations through storage.db.Database.migrate, or set sqlalchemy.url")
        with create_engine(url).begin() as own_connection:
            _run(own_connection)
    else:
        _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=not_in_models,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()

"""Alembic environment for the zhanchi store.

``Store.open`` passes an open connection (already holding the migration lock) in
``config.attributes["connection"]``. For developers, the Alembic command line works
too, with the database given as ``-x url=...``::

    alembic -c zhanchi/store/alembic.ini -x url=sqlite:///dev.sqlite3 upgrade head
    alembic -c zhanchi/store/alembic.ini -x url=sqlite:///dev.sqlite3 \
        revision --autogenerate -m "what changed"
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlalchemy import Connection
from sqlalchemy.types import TypeDecorator

from zhanchi.store.schema import metadata

config = context.config


def _render_item(type_: str, obj: Any, _autogen_context: Any) -> str | Literal[False]:
    # Migrations must not import the ORM's column types (they change; migrations must
    # not): render a TypeDecorator as the plain SQLAlchemy type it stores.
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def _run(connection: Connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things; batch mode rebuilds the table
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True, render_item=_render_item)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against the connection from ``Store.open`` or the ``-x url=`` database."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from zhanchi.store.engine import make_engine, parse_url, write_engine

    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("give the database as: alembic -x url=DATABASE_URL ...")
    engine = write_engine(make_engine(parse_url(url)))
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()

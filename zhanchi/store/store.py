"""``Store``: the one object the pipeline, the review app and the CLI talk to.

>>> store = Store.open("sqlite:///:memory:")
>>> store.verify_chain().ok
True
>>> store.close()
"""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from zhanchi.errors import StoreError
from zhanchi.store.audit import AuditMixin
from zhanchi.store.cache import CacheMixin
from zhanchi.store.case_lookup import CaseLookupMixin
from zhanchi.store.claims import ClaimsMixin
from zhanchi.store.core import describe_db_error
from zhanchi.store.engine import make_engine, parse_url, safe_url, write_engine
from zhanchi.store.migrate import upgrade_to_head
from zhanchi.store.registry import RegistryMixin
from zhanchi.store.results import ResultsMixin
from zhanchi.store.review_ops import ReviewOpsMixin


class Store(ResultsMixin, ReviewOpsMixin, ClaimsMixin, CacheMixin, RegistryMixin, AuditMixin,
            CaseLookupMixin):
    """The project's database: a SQLite file by default, PostgreSQL by URL.

    Thread-safe (a pooled engine; each call is its own transaction) and safe to open
    from several processes on one database at once. Open with :meth:`open`; close
    with :meth:`close` or use it as a context manager.
    """

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to ``url`` and create or migrate the schema to this version's head.

        Raises :class:`StoreError` (exit code 4) when the database cannot be reached or
        migrated; the message names the URL without its password.
        """
        parsed = parse_url(url)
        where = safe_url(parsed)
        try:
            engine = make_engine(parsed)
        except (SQLAlchemyError, ImportError, OSError) as exc:
            raise StoreError(f"cannot open the store at {where}: {_reason(exc, parsed.password)}") \
                from None
        try:
            upgrade_to_head(write_engine(engine))
        except (SQLAlchemyError, OSError) as exc:
            engine.dispose()
            raise StoreError(f"cannot open the store at {where}: {_reason(exc, parsed.password)}") \
                from None
        except Exception as exc:  # Alembic: e.g. a database migrated by a newer zhanchi
            engine.dispose()
            if type(exc).__module__.startswith("alembic"):
                raise StoreError(f"cannot migrate the store at {where}: {exc}") from None
            raise
        return cls(engine, parsed)

    def __enter__(self) -> Store:
        return self


def _reason(exc: BaseException, password: str | None) -> str:
    """The driver's first message line for connection problems, password blanked out."""
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [""])[0]
    if password:
        first = first.replace(password, "***")
    return f"{describe_db_error(exc)}: {first}" if first else describe_db_error(exc)

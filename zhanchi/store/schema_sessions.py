"""Tables of the review app's logins: sessions, the login brake, kept forms, secrets.

They live in the database (not in a server process) so that a restart keeps everyone
logged in and several server processes share one view of who is logged in and who is
guessing passwords. Nothing here holds a secret the browser has: session and form
tokens are stored as SHA-256 digests only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhanchi.store.types import Base, UTCDateTime, utcnow


class LoginSessionRow(Base):
    """A logged-in browser: the digest of its cookie token, whose it is, its times."""

    __tablename__ = "login_sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginThrottleRow(Base):
    """Failed logins of one client, or of one client for one name (``key`` is a digest)."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PendingFormRow(Base):
    """A form sent after its session expired, kept for its author to finish after login."""

    __tablename__ = "pending_forms"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    path: Mapped[str] = mapped_column(String(255))
    payload: Mapped[str] = mapped_column(Text)  # JSON object of the form's text fields
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AppSecretRow(Base):
    """A random key the app made for itself (e.g. to log unknown login names keyed)."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""Sessions, the login brake and kept forms in the database (SQLite and PostgreSQL).

Two ``SessionStore`` / ``LoginThrottle`` objects on one database stand for two server
processes: what one writes the other must see.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from zhanchi.review import passwords
from zhanchi.review.pending import keep_form, take_form
from zhanchi.review.sessions import SessionStore
from zhanchi.review.throttle import LoginThrottle
from zhanchi.store.review_queries import ReviewStore
from zhanchi.store.schema_sessions import LoginSessionRow, LoginThrottleRow

pytest_plugins = ["pg_fixtures"]

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def rstore(store_url: str) -> Iterator[ReviewStore]:
    store = ReviewStore.open(store_url)
    for name, role in (("zhang", "reviewer"), ("li", "reviewer")):
        store.add_user(name, role, "unused-hash", actor="test")
    try:
        yield store
    finally:
        store.close()


def _id(store: ReviewStore, name: str) -> int:
    account = store.get_user(name)
    assert account is not None
    return account.id


def test_sessions_expire_after_idle_and_absolute_time_and_at_logout(rstore: ReviewStore) -> None:
    clock = Clock()
    one = SessionStore(rstore, idle=timedelta(minutes=30), absolute=timedelta(hours=2),
                       clock=clock)
    two = SessionStore(rstore, idle=timedelta(minutes=30), absolute=timedelta(hours=2),
                       clock=clock)  # a second server process on the same database
    token, session = one.create(_id(rstore, "zhang"), "zhang", "reviewer")
    seen = two.get(token)
    assert seen is not None and seen.name == "zhang" and seen.csrf == session.csrf
    assert two.get(token + "x") is None and two.get(None) is None and two.get("x" * 500) is None
    for _ in range(3):
        clock.advance(minutes=25)
        assert one.get(token) is not None  # each request restarts the idle timer...
    clock.advance(minutes=29)
    assert two.get(token) is not None  # ...and the other process sees the restarted timer
    clock.advance(minutes=31)
    assert one.get(token) is None and two.get(token) is None
    token, _ = one.create(_id(rstore, "zhang"), "zhang", "reviewer")
    clock.advance(minutes=20)
    for _ in range(6):
        clock.advance(minutes=20)
        one.get(token)
    assert one.get(token) is None  # past two hours though never idle for 30 minutes
    token, _ = one.create(_id(rstore, "zhang"), "zhang", "reviewer")
    other, _ = one.create(_id(rstore, "li"), "li", "reviewer")
    two.drop(token)
    assert one.get(token) is None and one.get(other) is not None
    assert one.drop_user(_id(rstore, "li")) == 1 and two.get(other) is None


def test_the_idle_timer_is_written_at_most_once_a_minute(rstore: ReviewStore) -> None:
    clock = Clock()
    sessions = SessionStore(rstore, clock=clock)
    token, _ = sessions.create(_id(rstore, "zhang"), "zhang", "reviewer")

    def stored() -> datetime:
        with rstore.reader() as s:
            return s.query(LoginSessionRow).one().last_seen_at

    clock.advance(seconds=30)
    sessions.get(token)
    assert stored() == START  # a read, no write
    clock.advance(seconds=31)
    sessions.get(token)
    assert stored() == START + timedelta(seconds=61)


def test_a_disabled_account_loses_every_session_and_a_role_change_applies_at_once(
        rstore: ReviewStore) -> None:
    sessions = SessionStore(rstore)
    token, _ = sessions.create(_id(rstore, "li"), "li", "reviewer")
    second, _ = sessions.create(_id(rstore, "li"), "li", "reviewer")
    with rstore.transaction() as s:
        from zhanchi.store.schema_review import UserRow

        s.query(UserRow).filter_by(name="li").update({"role": "supervisor"})
    live = sessions.get(token)
    assert live is not None and live.is_supervisor
    rstore.set_user_active("li", False, actor="test")
    assert sessions.get(token) is None and sessions.get(second) is None
    rstore.set_user_active("li", True, actor="test")
    assert sessions.get(second) is None  # ended, not just hidden


def test_an_expired_session_vouches_for_its_own_form_only(rstore: ReviewStore) -> None:
    clock = Clock()
    sessions = SessionStore(rstore, idle=timedelta(minutes=30), clock=clock)
    token, session = sessions.create(_id(rstore, "zhang"), "zhang", "reviewer")
    assert sessions.expired_owner(token, session.csrf) is None  # still live: no need
    clock.advance(minutes=31)
    assert sessions.expired_owner(token, "forged") is None
    assert sessions.expired_owner(token, "伪造") is None
    assert sessions.expired_owner("other", session.csrf) is None
    assert sessions.expired_owner(token, session.csrf) == _id(rstore, "zhang")


def test_a_kept_form_is_read_once_by_its_author_on_its_page(rstore: ReviewStore) -> None:
    zhang, li = _id(rstore, "zhang"), _id(rstore, "li")
    fields = {"decision": "reject", "reason": "证书编号与名单不符\n已电话核实", "csrf_token": "x",
              "other": "dropped"}
    token = keep_form(rstore, zhang, "/cases/1", fields)
    assert take_form(rstore, token, li, "/cases/1") is None  # not someone else's
    assert take_form(rstore, token, zhang, "/cases/2") is None  # not another case
    assert take_form(rstore, token, zhang, "/cases/1") == {
        "decision": "reject", "reason": "证书编号与名单不符\n已电话核实"}
    assert take_form(rstore, token, zhang, "/cases/1") is None  # once only
    assert take_form(rstore, None, zhang, "/cases/1") is None


def test_the_brake_grows_per_client_and_name_and_never_stops_another_client(
        rstore: ReviewStore) -> None:
    clock = Clock()
    one = LoginThrottle(rstore, clock=clock)
    two = LoginThrottle(rstore, clock=clock)  # another server process
    delays = []
    for _ in range(8):
        assert one.check("10.0.0.9", "li") is None
        started = one.failed("10.0.0.9", "li")
        delays.append([r.retry_after for r in started if r.scope == "pair"])
        refusal = two.check("10.0.0.9", "li")
        if refusal is not None:
            clock.advance(seconds=refusal.retry_after)
    assert delays == [[], [], [], [], [], [1], [2], [4]]
    one.failed("10.0.0.9", "li")
    refusal = two.check("10.0.0.9", "li")
    assert refusal is not None and refusal.scope == "pair" and refusal.retry_after == 8
    assert two.check("10.0.0.10", "li") is None  # another machine: the right password works
    assert two.check("10.0.0.9", "zhang") is None
    one.succeeded("10.0.0.9", "li")
    assert one.check("10.0.0.9", "li") is None


def test_spraying_many_names_from_one_client_brakes_that_client(rstore: ReviewStore) -> None:
    clock = Clock()
    throttle = LoginThrottle(rstore, clock=clock)
    for i in range(20):
        throttle.failed("10.0.0.7", f"name-{i}")
    assert throttle.check("10.0.0.7", "new-name") is None
    started = throttle.failed("10.0.0.7", "name-20")
    assert [r.scope for r in started] == ["client"]
    refusal = throttle.check("10.0.0.7", "zhang")
    assert refusal is not None and refusal.scope == "client"
    throttle.succeeded("10.0.0.7", "zhang")  # logging in elsewhere does not reset it
    assert throttle.check("10.0.0.7", "li") is not None
    assert throttle.check("10.0.0.8", "li") is None
    clock.advance(hours=2)  # the count fades
    throttle.failed("10.0.0.7", "again")
    assert throttle.check("10.0.0.7", "li") is None


def test_the_brake_table_holds_no_typed_name(rstore: ReviewStore) -> None:
    throttle = LoginThrottle(rstore)
    typed = "MyPassword!2024"
    throttle.failed("10.0.0.5", typed)
    key = throttle.name_key(typed)
    assert key == LoginThrottle(rstore).name_key(typed) != throttle.name_key("other")
    assert typed not in key
    with rstore.reader() as s:
        rows = s.query(LoginThrottleRow).all()
    assert len(rows) == 2 and all(typed not in r.key and "10.0.0.5" not in r.key for r in rows)


def test_at_most_the_allowed_number_of_hashes_run_at_once(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    saved = dict(passwords._PARAMETERS)
    passwords.use_parameters(time_cost=1, memory_cost=1024, parallelism=1)
    encoded = passwords.hash_password("a-password-1")
    passwords.use_hash_slots(2)
    running, peak, lock = [0], [0], threading.Lock()
    real = passwords._hasher

    class Counting:
        def verify(self, *args: object) -> bool:
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.05)
            with lock:
                running[0] -= 1
            return bool(real().verify(*args))  # type: ignore[arg-type]

    monkeypatch.setattr(passwords, "_hasher", Counting)
    try:
        threads = [threading.Thread(target=passwords.verify_password,
                                    args=(encoded, "a-password-1")) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert peak[0] == 2
        monkeypatch.setattr(passwords, "SLOT_WAIT_S", 0.05)
        passwords._SLOTS.semaphore.acquire()
        passwords._SLOTS.semaphore.acquire()
        with pytest.raises(passwords.HashingBusyError):
            passwords.verify_password(encoded, "a-password-1")
    finally:
        monkeypatch.undo()
        passwords.use_hash_slots(passwords.DEFAULT_HASH_SLOTS)
        passwords.use_parameters(**saved)


def test_database_errors_never_carry_the_values_sent(rstore: ReviewStore) -> None:
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    from zhanchi.store.schema_sessions import AppSecretRow

    assert rstore.engine.hide_parameters
    row = {"name": "dup", "value": "王小明-36010219900101123X", "created_at": START}
    with rstore.engine.begin() as conn:
        conn.execute(insert(AppSecretRow).values(**row))
    with pytest.raises(IntegrityError) as caught, rstore.engine.begin() as conn:
        conn.execute(insert(AppSecretRow).values(**row))
    assert "36010219900101123X" not in str(caught.value)
    assert "parameters hidden" in str(caught.value)

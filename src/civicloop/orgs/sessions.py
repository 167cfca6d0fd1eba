"""Django's database session store, reading the session with one statement compiled once (decision 30):
every request of a signed-in user loads its session, and the ORM's compile of that lookup cost more than the
lookup itself. Writing, expiry and clearing are Django's own."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.db import connections
from django.utils import timezone


class SessionStore(DbSessionStore):
    def load(self):
        if not self.session_key:
            return {}
        connection = connections["default"]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",
                           [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])

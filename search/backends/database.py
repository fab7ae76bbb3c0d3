"""The default backend: search in the platform's own database (SQLite or PostgreSQL)."""

from django.db import DatabaseError, connection

from search.backends.base import BackendHealth, BaseSearchBackend


class DatabaseSearchBackend(BaseSearchBackend):
    def healthcheck(self) -> BackendHealth:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            return BackendHealth(ok=False, detail=str(error))
        return BackendHealth(ok=True, detail=f"database ({connection.vendor})")


SearchBackend = DatabaseSearchBackend

"""Persistence: SQLAlchemy 2.0 models, sessions, Alembic migrations, the blob store."""

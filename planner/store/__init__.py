"""SQLAlchemy models, engine factory, migrations, backups and the store lock. No UI."""

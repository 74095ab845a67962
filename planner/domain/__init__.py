"""Plain dataclasses, enums and pure rules. Imports neither Qt nor SQLAlchemy."""

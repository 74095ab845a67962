"""PySide6 user interface: shell, pages, table models, dialogs, background task runner."""

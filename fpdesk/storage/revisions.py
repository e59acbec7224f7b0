"""The schema revisions this program knows, apart from storage/database.py so that the window's
first screen can check a file's revision without importing SQLAlchemy (storage/first_screen.py)."""

# The newest migration this program knows. A test checks it equals Alembic's head, so opening an
# up-to-date database never has to import Alembic (it costs ~0.1 s of start-up).
SCHEMA_HEAD = "0010"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0008", "0009", "0010")

import pytest

from planner.store.errors import NotAPlannerStore, StoreUnavailable
from planner.store.location import resolve
from planner.store.store import open_store


def test_a_folder_is_refused(tmp_path) -> None:
    with pytest.raises(StoreUnavailable, match="is a folder"):
        open_store(tmp_path)


@pytest.mark.parametrize("content", [b"hello, world\n", b"PK\x03\x04 a zip file", b"<html></html>"])
def test_a_foreign_file_is_refused(tmp_path, content: bytes) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    with pytest.raises(NotAPlannerStore, match="not an SQLite database"):
        open_store(path)
    assert path.read_bytes() == content


def test_a_damaged_database_is_refused(tmp_path) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    with pytest.raises(StoreUnavailable):
        open_store(path)


def test_missing_folders_are_created(tmp_path) -> None:
    path = tmp_path / "a" / "b" / "planner.db"
    open_store(path).close()
    assert path.exists()


def test_urls_and_paths_resolve(tmp_path) -> None:
    assert resolve(tmp_path / "p.db").path == (tmp_path / "p.db").resolve()
    assert resolve(f"sqlite:///{tmp_path}/q.db").path == (tmp_path / "q.db").resolve()
    server = resolve("postgresql://u:secret@db.example/planner")
    assert server.path is None and "secret" not in server.describe()


def test_a_malformed_url_is_refused() -> None:
    with pytest.raises(StoreUnavailable, match="not a valid database URL"):
        resolve("postgresql://u:p@host:notaport/x")

"""The SQLite database and the folder it lives in, readable by the app's own user alone.

Its values are ciphertext, but the file also holds password hashes, sessions and the second
factor's secrets: a database file anyone on the machine can read is a way in. SQLite
creates its -wal and -shm files with the database file's own permissions, so a private
database file keeps them private too.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE, FOLDER_MODE = 0o600, 0o700


def make_private(database: Path, *, own_folder: Path | None = None) -> None:
    """Create `database` empty and private if it is not there yet, and make it (and its
    -wal and -shm) private if it is; `own_folder`, the app's own folder for it, private too.
    A folder the app does not own (/tmp, say) is left as it is."""
    if own_folder is not None:
        own_folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        os.chmod(own_folder, FOLDER_MODE)
    if not database.parent.is_dir():
        return  # SQLite will say so, plainly, when it is opened
    os.close(os.open(database, os.O_CREAT | os.O_RDWR, FILE_MODE))
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if path.exists():
            os.chmod(path, FILE_MODE)

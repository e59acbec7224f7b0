"""Opening a database as a workspace: an encrypted file is unlocked first, and a database with user
accounts logs its user in. Above the accounts and encryption services, so that the workspace itself
(services/workspace.py) imports none of them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from fpdesk.services.trust.unlock import RECOVERY, unlock_key
from fpdesk.services.workspace import Workspace, local_office
from fpdesk.storage.database import open_database
from fpdesk.storage.schema_trust import UserAccount

# A front end that logs in every workspace it opens (the CLI sets it while a command runs), and that
# gives the user name and password (or RECOVERY and the recovery code) an encrypted database needs first.
login_hook: Callable[[Workspace], None] | None = None
credentials_hook: Callable[[], tuple[str, str]] | None = None


def open_workspace(location: str, *, author: str = "system", credentials: tuple[str, str] | None = None,
                   encrypted: bool | None = None) -> Workspace:
    """Open a database as a workspace; an encrypted one is unlocked (and logged in) with ``credentials``.

    ``encrypted`` is the answer of a caller that has asked ``is_encrypted_location`` already: the
    file's header is not read again to learn it.
    """
    if "://" not in location:  # an encryption cut short is undone or completed before anything reads the file
        from fpdesk.storage.encryption import settle

        settle(Path(location).expanduser())
    if encrypted is None and credentials is None and credentials_hook is not None:
        encrypted = is_encrypted_location(location)  # ask for credentials only when the file needs them
    if encrypted is False:
        key, who = None, None
    else:
        if encrypted and credentials is None and credentials_hook is not None:
            credentials = credentials_hook()
        key, who = unlock_key(location, credentials, encrypted=encrypted)  # no key: a plain file
    db = open_database(location, key=key, encrypted=key is not None)
    logging.getLogger(__name__).info("database opened: %s (%s%s)", db.display_name, db.dialect,
                                     ", encrypted" if key is not None else "")
    workspace = Workspace(db=db, office=local_office(db), author=author)
    with db.read() as session:
        # the table's column, not the mapped class's: no mapper is configured before the window shows
        workspace.accounts_exist = session.scalar(select(UserAccount.__table__.c.id).limit(1)) is not None
    if who is not None and who[0] != RECOVERY:
        # Imported here, not at the top: the password hashing and crypto libraries would slow every start.
        from fpdesk.services.trust.accounts import log_in
        from fpdesk.services.trust.encryption import finish_encryption

        try:
            log_in(workspace, *who)
            finish_encryption(workspace)  # a no-op unless an encryption was cut short after its switch
        except BaseException:
            db.close()
            raise
    elif key is None and workspace.accounts_exist and login_hook is not None:
        try:
            login_hook(workspace)
        except BaseException:
            db.close()
            raise
    return workspace


def is_encrypted_location(location: str) -> bool:
    """Whether ``location`` is an encrypted database file (a server URL never is)."""
    from fpdesk.storage.encryption import is_encrypted

    return "://" not in location and is_encrypted(Path(location).expanduser())

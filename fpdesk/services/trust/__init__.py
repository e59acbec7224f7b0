"""Trust: accounts and log-in, encryption at rest, backups, the audit log, privacy, signing keys, undo."""

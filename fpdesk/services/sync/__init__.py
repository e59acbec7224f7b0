"""Sync between offices: identities and pairing (identity), what travels which way
(registry), export, import with verification (importer) and the generic apply (apply), the review
queues (conflicts, duplicates), the county's reference definitions (reference) and light status
queries for the window (status). The file format itself is ``fpdesk.core.sync_package``."""

"""The services: every job the GUI and the command line do, each call one transaction.

Grouped by job, each group calling only the groups below it (the import-linter contract in
pyproject.toml holds the order; tests/architecture holds that no module imports its way back):

    demo                                   the demo county
    rosters | printouts | reports | sync   spreadsheets, PDFs, figures, packages between offices
    enrollment                             enrolling and its money, hand-up, renewals, claims
    registry                               households, persons, divisions, search
    opening                                opening a database: unlock, log in
    trust                                  accounts, encryption, backups, audit, privacy, undo
    credentials, records, entities,        the base: the open workspace and its write context,
    workspace, permissions, locations,     writing a record through the change log, who may do what,
    logbook, messages                      where data and logs live, the services' error texts
"""

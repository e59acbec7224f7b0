"""Excel rosters: reading what offices already have, writing what the finance office and insurer ask for."""

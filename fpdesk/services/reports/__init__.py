"""Reports: targets and progress against them, statistics, bulletins, counts, coverage checks."""

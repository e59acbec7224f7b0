"""Demo data: a deterministic synthetic county (Mingxi 350421) for trying fpdesk and for benchmarks."""

"""`acctrace serve`: the review console over the persistent store, its hash-chained review
ledger, workflows approved from findings, and attestations (docs/serve.md)."""

"""Synthetic but realistic Windows telemetry for tests and demos (no real logs needed).

`events` builds canonical events, `story` tells a seeded day in a small domain with benign
and malicious account creations, `writers` renders it in every input shape acctrace reads.
"""

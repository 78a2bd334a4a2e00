"""Synthetic but realistic Windows telemetry for tests and demos (no real logs needed).

`events` builds canonical events, `story` tells a seeded day in a small domain with benign
and malicious account creations, `writers` renders it in every input shape acctrace reads.
"""

# The input shapes `writers` renders; here so the command line lists them without loading it.
SHAPES = ("ecs", "nxlog", "event-json", "xml")

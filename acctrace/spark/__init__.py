"""Running the same analytic on Apache Spark, for data that outgrows one machine.

Only the engine changes: the correlation is the Ibis definition in `correlate/`, executed
by Ibis's PySpark backend; reading runs acctrace's own readers on the executors.
"""

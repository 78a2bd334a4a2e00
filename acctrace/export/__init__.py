"""`acctrace export`: AN1604 for the platforms that already hold the logs.

One description of the analytic (definition.py) rendered per target: SQL views compiled
from the Ibis expressions acctrace runs, Sigma rules with a temporal correlation, an EQL
sequence, and KQL and SPL searches. docs/export.md says what each target can express.
"""

"""`python -m acctrace`: the same command line as the `acctrace` script."""

from acctrace.cli import main

main()

"""Report: one module per output format, each `render(result, stream)` over the result."""

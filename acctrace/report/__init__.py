"""Report: each output format is one module with `render(result, stream)` over the result document."""

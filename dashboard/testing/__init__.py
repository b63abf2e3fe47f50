"""Helpers the tests and the benchmarks share: the renderer's callback bodies, the
Procfile's server run as a PaaS runs it, waits on the page in a browser. Nothing
else in the package imports them."""

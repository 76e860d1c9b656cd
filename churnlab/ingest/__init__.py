"""Files -> canonical frames: reading, parsing, mapping, joining, cleaning, loading, quality.

One module per job (see docs/ARCHITECTURE.md); ``loading.load_files`` is the entry point the
CLI and the pages use.
"""

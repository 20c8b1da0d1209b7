"""Election records: the published format, its canonical hashing, signatures and the verifier.

This package imports only the standard library, `cryptography` and `governance.tally`, so an
observer can copy it (with `governance/tally`) to a laptop and check a record offline.
"""

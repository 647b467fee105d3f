"""Content: files → typed records, their validation, the configuration file and the clock.
Imports nothing else of the package, and nothing of MkDocs.
"""

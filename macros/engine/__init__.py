"""Engine: everything that knows MkDocs, Material or mkdocs-macros (the adapter, the fork that
renders half the pages). The only layer that imports them (DEVELOPING.md#layers).
"""

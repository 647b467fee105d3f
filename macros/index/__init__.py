"""The index: every record loaded once (`load`), the `Site` built from them, the figures
computed from it (`stats`). Imports `content` only.
"""

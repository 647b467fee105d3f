"""Editorial: checks and tools for editors: review (三审), freshness, the inspection
self-check, new files (`new`), a new school (`init`), the preview's problem page.
Imports `output`, `index`, `content`; not `channels`.
"""

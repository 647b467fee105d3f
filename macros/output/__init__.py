"""Output: what the index becomes: pages and their URLs, Markdown/HTML/XML rendering, the
macros of pages and bulletins, charts, cover images, the search index, .gz twins, and the
background work of a build. Imports `index` and `content`.
"""

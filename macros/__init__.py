"""mkdocs-macros entry point: registers variables, macros and filters. Nothing else."""
from __future__ import annotations


def define_env(env) -> None:
    from .output.library import Library
    from .engine.mkdocs_adapter import install_error_messages, load_site

    install_error_messages()
    site = load_site(env.conf, extra_names=set(env.variables) | set(env.conf.extra))
    if site is None:  # a preview of content with problems: its pages list them instead
        return
    library = Library(site)
    env.variables.update(library.variables())
    for name, function in library.macros().items():
        env.macro(function, name)
    for name, function in library.filters().items():
        env.filter(function, name)
    for name, function in library.globals().items():
        env.macro(function, name)

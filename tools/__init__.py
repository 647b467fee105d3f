"""Developer tools of the site: the shared phone-page helpers and `make audit`."""

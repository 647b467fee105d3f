"""Channels: the site's content elsewhere: the 公众号 (WeChat) edition and share cards.
Imports `output`, `index`, `content`; not `editorial`.
"""

"""Proposals (政协提案) and suggestions (人大代表建议): registration, 交办, handling, replies, ratings.

`handling` is the framework-free core; the Django models, pages and imports sit around it.
"""

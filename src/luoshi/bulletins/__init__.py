"""Bulletins without a web framework: figures for a period and their Word, PDF and Excel renderings."""

"""Indicators: a catalogue of metrics, the cities and areas they are measured for, and their
observations kept as vintages.

``luoshi.indicators.core`` has no Django in it (numpy, pandas and openpyxl only), so the catalogue
template, the period rules and the "as known on a date" selection run as a library; the Django app
(``apps.py``, ``models.py``, ``services.py``) stores them.
"""

"""Supervision without a web framework: reporting calendar, lights, report quality, notices, reminders.

The web app maps its models onto the frozen dataclasses in `facts` and calls these plain functions.
"""

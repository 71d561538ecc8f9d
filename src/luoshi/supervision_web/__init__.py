"""Supervision and bulletins in the web application: models, services, pages, jobs and commands."""

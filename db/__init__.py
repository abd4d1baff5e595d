"""Persistence: SQLAlchemy 2.x models, sessions and Alembic migrations.

This package imports no other package of the project.
"""

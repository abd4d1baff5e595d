"""Shared services the features build on: the posyandu calendar and its meeting days, immunization
records and their planned reminders, cases for the bidan and their alerts, and the danger-sign screen
(``safety``) that every mother's message passes. May import core and knowledge, never a feature.
"""

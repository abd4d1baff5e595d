"""Health knowledge: danger-sign triage, FAQ answers, text normalisation, WHO growth tables and
z-scores, growth monitoring codes, the immunization schedule and its rules, the ASI figures.

Pure functions of their inputs and content files: no database, no turn, no outbox (an import-linter
contract). The bottom layer: everything may import it, it imports nothing of flows but itself.
"""

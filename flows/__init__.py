"""The conversation engine, the flows and the health knowledge cores.

Pure Python and transport-agnostic: no Flask here, so the same flow runs from the webhook, the
terminal simulator and the tests.
"""

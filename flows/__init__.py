"""The conversation, its features and the health knowledge cores, in layers (README "Design"):

    conversation   the flows that exist, the order a message is offered to the handlers, the menu
    features       registration, immunization, asi, growth, questions, announcements, kader, bidan
    services       posyandu calendar, immunization records, cases and alerts, the danger-sign screen
    core           engine, messages, settings, dates, choices, phones, keywords, local time, notify
    knowledge      triage, FAQ, text normalisation, WHO growth, immunization schedule, ASI figures

A layer imports only the layers below it, and the features never import each other (import-linter
contracts in pyproject.toml). Pure Python and transport-agnostic: no Flask here, so the same flow runs
from the webhook, the terminal simulator and the tests.
"""

"""The conversation core: the engine (turns, flows, steps, results), messages in and out, settings,
reading dates, choices, phones and keywords, local time, commands, and notifications (the 24-hour
window, templates, the daily limit, media). Knows no feature; may import only ``flows.knowledge``.
"""

"""The conversation: the flows that exist, the order a message is offered to the handlers, the menu,
the global keywords, and the inbox (store, then process exactly once). The only part of flows the
bot runs a conversation through; nothing in flows imports it.
"""

"""The few settings the flows need, handed in by whoever runs them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FlowSettings:
    timezone: str = "Asia/Jakarta"
    conversation_ttl_minutes: int = 24 * 60
    max_process_attempts: int = 5

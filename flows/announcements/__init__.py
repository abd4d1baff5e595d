"""Kader announcements: UMUMKAN, LAPORAN, BATALKAN, and the fan-out to the mothers."""

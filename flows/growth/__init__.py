"""Tumbuh kembang: measurements (by the mother, the kader's TIMBANG, the weighing book), the chart,
alarms for the bidan, the development check, and the monthly growth report."""

"""The mother's Imunisasi flow and the immunization reminders."""

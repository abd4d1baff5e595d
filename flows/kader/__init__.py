"""The kader's desk: her commands (dispatch, help, refusals), SASARAN, and JADWAL."""

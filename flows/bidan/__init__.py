"""The bidan's desk: KASUS, AMBIL, BALAS, SELESAI, and the desk's response figures."""

"""Registration with consent, DATA SAYA (the profile), opting out and in, HAPUS DATA, and the import
of a posyandu register."""

"""ASI & kembali bekerja: the working mother's plan, the ASIP calculators, the check-ins, the report."""

"""Free questions: the FAQ answer, the closest topics, or the bidan."""

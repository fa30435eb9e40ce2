"""Officers' training and qualifications (R5): courses, training records, who is qualified."""

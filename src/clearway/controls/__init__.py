"""Control tasks: the duty roster, automatic assignment, officers' work and results."""

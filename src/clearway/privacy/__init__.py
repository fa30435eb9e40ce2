"""Data protection of what is exchanged with partners (Convention 108+): keyed pseudonyms,
purpose and onward-transfer consent, the access log, retention, data subjects' rights and
the registers of the data protection officer."""

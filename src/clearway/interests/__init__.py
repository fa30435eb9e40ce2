"""Officers' declarations of interest: the links to traders, brokers and carriers that keep
an officer from controlling their declarations (docs/integrity-prevention.md)."""

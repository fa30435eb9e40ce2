"""Pre-arrival data between neighbours (the SEED flow): an export leaving for a partner is
announced to it as an anticipated arrival, matched there with what arrives at its office of
entry, alarms raised on discrepancies, and the arrival confirmed back."""

"""Reference data: the code lists a declaration is checked against (countries, currencies
and exchange rates, HS and national commodity codes, customs offices, procedures, transport
modes, package kinds, document codes) and the registers of traders, AEO authorisations and
customs representations.

Each list is a CSV file (`csvfiles`: definitions and checks; a default set ships in
`data/`), stored whole per loaded version (`service`), and queried "valid on a date"
through an immutable in-memory snapshot (`model`, `representations`).
"""

"""The balance room: does the selection beat simpler ways of choosing what to control?

`simulation` replays a labelled history week by week (the protocol of the KCS data set's
authors) for Clearway's selection, random selection, a fixed rule set and an oracle;
`service` reports the live system's own selection by office and month. docs/balance.md.
"""

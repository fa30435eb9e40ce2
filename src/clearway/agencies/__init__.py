"""The single window's other agencies (plant health, veterinary, public health, market
surveillance, dual-use licensing): who they are, the regulatory matrix that says which goods
each must decide on, their tasks and decisions. `model` is plain; `routing` is pure."""

"""Summary declarations (ENS, EXS) as the carrier sees them: outcomes, requests for
information and their answers, security clearances."""

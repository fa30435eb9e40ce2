"""Mutual assistance between administrations: typed requests (information, verification,
surveillance, notification of documents, spontaneous information), four eyes before a
request leaves, and the replies."""

"""Instructions and circulars officers acknowledge (R2): the library, who they concern, the
acknowledgement of each version, and the instructions a control task links to."""

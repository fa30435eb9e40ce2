"""The clearance room: a declaration's life across domains, and the one way its status moves.

Every use case that changes a declaration's status lives here and moves it with
`moves.move` (transition check, event, trader's notice, audit entry, in one unit of work):
`lodging` (lodged, then accepted with its risk decision or rejected), `acceptance` (the risk
decision and the control task of an accepted declaration), `changes` (the trader's amendment,
with `reassessment`, and cancellation), `control_work` (an officer starts a control task and
records its result, with the feedback and the trader's record), `officer_actions` (start,
release, invalidate, seize from the declaration), `overrides` (four-eyes requests and what an
approval does). The domains below (declarations, risk, controls, feedback, overrides,
notifications, audit) keep their own model, storage and rules; none of them imports this room
or another domain's use cases (import contracts in pyproject.toml).
"""

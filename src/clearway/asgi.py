"""ASGI entry point for uvicorn: `uvicorn clearway.asgi:app`."""

from clearway import bootstrap
from clearway.app import create_app
from clearway.audit.heartbeat import attach_witness
from clearway.exchange.delivery import attach_delivery
from clearway.notifications.dispatcher import attach_dispatcher
from clearway.ops.sweeps import attach_sweeps

context = bootstrap.context()
app = create_app(context)
attach_dispatcher(app, context)
attach_delivery(app, context)  # after: it wraps the dispatcher's lifespan
attach_witness(app, context)  # after: it wraps the others
attach_sweeps(app, context)  # deadlines and retention

"""Entry module for `dramatiq workers.main`: broker and actors from the environment."""

from __future__ import annotations

from governance.bootstrap import bootstrap
from workers.actors import declare_actors
from workers.broker import configure_broker

app = bootstrap()
broker = configure_broker(app.settings)
actors = declare_actors(broker, app)

from . import controllers
from . import models
from . import report
from . import wizard


def pre_init_hook(env):
    """Enable trigram indexes for the inbox's name and phone search."""
    from odoo.modules.db import has_trigram

    if not has_trigram(env.cr):
        try:
            with env.cr.savepoint():
                env.cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - without the right, plain btree indexes are used
            return
    env.registry.has_trigram = has_trigram(env.cr)


def uninstall_hook(env):
    """Drop what the module made in PostgreSQL outside its models' tables."""
    from .report.guest_message_tally import COUNTED_UNTIL_FUNCTION
    from odoo.tools import SQL

    env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s() CASCADE", SQL.identifier(COUNTED_UNTIL_FUNCTION)))

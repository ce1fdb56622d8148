# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Conversations got message counters: count the messages they already have. The message tally is
    filled by its cron, which runs at once."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["guest.conversation"].search([])._recount_messages()

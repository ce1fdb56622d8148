from odoo.tests import tagged

from .common import GuestMessagingCase


@tagged("guest_messaging", "post_install", "-at_install")
class TestMenus(GuestMessagingCase):
    def _root_menu_xmlids(self, user):
        menus = self.env["ir.ui.menu"].with_user(user).search([("parent_id", "=", False)])
        # ordered the way the main navigation shows them
        return [menu.get_external_id()[menu.id] for menu in menus]

    def test_root_menu_right_after_hotel_menu(self):
        roots = self._root_menu_xmlids(self.env.ref("base.user_admin"))
        self.assertIn("hotel.hotel_management_menu", roots)
        position = roots.index("hotel.hotel_management_menu")
        self.assertEqual(roots[position + 1], "guest_messaging.menu_root")

    def test_menu_entries_per_role(self):
        Menu = self.env["ir.ui.menu"]
        entries = {
            "guest_messaging.menu_inbox",
            "guest_messaging.menu_connections",
            "guest_messaging.menu_canned_responses",
            "guest_messaging.menu_agents",
        }

        def visible(user):
            """This module's own entries (other addons may add theirs under the same root)."""
            menus = Menu.with_user(user).search([("id", "child_of", self.env.ref("guest_messaging.menu_root").id)])
            return {xmlid for xmlid in menus.get_external_id().values() if xmlid.startswith("guest_messaging.")}

        self.assertLessEqual(entries, visible(self.manager))
        self.assertEqual(visible(self.agent), {"guest_messaging.menu_root", "guest_messaging.menu_inbox"})
        self.assertFalse(visible(self.internal))

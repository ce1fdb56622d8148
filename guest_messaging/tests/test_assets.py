from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("guest_messaging", "post_install", "-at_install")
class TestBackendAssets(TransactionCase):
    def test_the_backend_stylesheets_compile(self):
        """A stylesheet Odoo's Sass compiler rejects leaves the whole backend unstyled."""
        bundle = self.env["ir.qweb"]._get_asset_bundle("web.assets_backend", css=True, js=False)
        ours = [asset.url for asset in bundle.stylesheets if asset.url.startswith("/guest_messaging")]
        self.assertTrue(ours, "our stylesheets are in the backend bundle")
        with mute_logger("odoo.addons.base.models.assetsbundle"):
            bundle.preprocess_css()
        self.assertEqual(bundle.css_errors, [])

import base64
import io
from datetime import date, timedelta

from PIL import Image

from odoo.tests import HttpCase, tagged

from ..lib.hotel_services import OdooHotelServices


def _png(color):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue())


@tagged("guest_messaging", "post_install", "-at_install")
class TestRoomPhoto(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        room_type = cls.env["hotel.room.type"].create({"name": "Photo rooms"})
        cls.with_photo, cls.without_photo = cls.env["hotel.room"].create([
            {"name": "Photo-1", "room_categ_id": room_type.id, "list_price": 100.0, "capacity": 2,
             "image_1920": _png("navy")},
            {"name": "Photo-2", "room_categ_id": room_type.id, "list_price": 110.0, "capacity": 2},
        ])

    def test_the_photo_is_public_and_nothing_else_is(self):
        response = self.url_open(f"/guest_messaging/room_photo/{self.with_photo.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("image/"))
        Image.open(io.BytesIO(response.content)).verify()
        for path in (f"/guest_messaging/room_photo/{self.without_photo.id}", "/guest_messaging/room_photo/999999999",
                     "/guest_messaging/room_photo/-1", "/guest_messaging/room_photo/abc",
                     "/guest_messaging/room_photo/1%20OR%201=1"):
            with self.subTest(path=path):
                self.assertEqual(self.url_open(path).status_code, 404)

    def test_offers_carry_the_photo_url_only_for_rooms_with_a_photo(self):
        connection = self.env["guest.channel.connection"].create(
            {"name": "Photo Sandbox", "channel_type": "sandbox"})
        conversation = self.env["guest.conversation"].create(
            {"connection_id": connection.id, "guest_external_id": "34600999000"})
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", "https://hotel.example")
        check_in = date.today() + timedelta(days=90)
        offers = {o.room_id: o.image_url for o in OdooHotelServices(conversation).search_availability(
            check_in, check_in + timedelta(days=1), 2, 0)}
        self.assertEqual(offers[self.with_photo.id],
                         f"https://hotel.example/guest_messaging/room_photo/{self.with_photo.id}")
        self.assertIsNone(offers[self.without_photo.id])

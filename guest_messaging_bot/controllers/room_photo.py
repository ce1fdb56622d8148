# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request


class RoomPhotoController(http.Controller):
    """Room photos for the room cards the bot shows on Messenger: Meta downloads them without a login.

    Only a room's own photo is served, the marketing picture a guest sees anyway.
    """

    @http.route("/guest_messaging/room_photo/<int:room_id>", type="http", auth="public", methods=["GET"],
                save_session=False)
    def room_photo(self, room_id):
        # sudo: hotel.room - the photo is public; nothing else of the room is read
        room = request.env["hotel.room"].sudo().browse(room_id).exists()
        if not room or not room.with_context(bin_size=True).image_1024:
            raise NotFound()
        stream = request.env["ir.binary"]._get_image_stream_from(room, "image_1024")
        return stream.get_response(max_age=3600)

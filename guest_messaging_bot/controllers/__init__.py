from . import room_photo

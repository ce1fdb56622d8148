from . import bot_texts

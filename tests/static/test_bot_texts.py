import subprocess
import sys

from .addons import REPO


def test_bot_texts_list_every_engine_sentence():
    result = subprocess.run([sys.executable, str(REPO / "devtools" / "bot_texts.py"), "--check"], cwd=REPO)
    assert result.returncode == 0, "run: python3 devtools/bot_texts.py (the engine's sentences changed)"

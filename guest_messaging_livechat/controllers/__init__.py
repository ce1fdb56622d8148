from . import main
from . import thread

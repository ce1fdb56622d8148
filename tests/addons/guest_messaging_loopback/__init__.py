from . import channel
from . import models

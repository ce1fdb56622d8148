"""Test helpers shipped with the package so that the addons' tests can use them too."""

from .fake_anthropic import FakeMessagesAPI
from .fake_graph import FakeGraphAPI, RecordedRequest

__all__ = ["FakeGraphAPI", "FakeMessagesAPI", "RecordedRequest"]

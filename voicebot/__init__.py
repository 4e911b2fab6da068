"""voicebot: AI phone-screening interviews on the Asterisk PBX."""

__version__ = "0.1.0"

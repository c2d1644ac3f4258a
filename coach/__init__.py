"""Voicemail Coach: practise the voicemails you leave on cold calls."""

__version__ = "0.1.0"

"""Errors the user can act on.

Every problem a user can cause or fix (a bad file, a missing model, a bad
setting) is raised as a subclass of :class:`CoachError`. The CLI and the app
catch that one base class and show ``str(error)`` without a traceback; any
other exception is a bug.
"""

from __future__ import annotations


class CoachError(Exception):
    """Base class: a problem explained in words a rep or trainer can act on."""

    #: Short machine-readable name used in JSON output (``error.type``).
    kind = "error"

    def to_dict(self) -> dict:
        return {"type": self.kind, "message": str(self)}


class AudioError(CoachError):
    """The recording cannot be used; the message names the file and the fix."""

    kind = "audio_error"


class EmptyFileError(AudioError):
    kind = "empty_file"


class NotAudioError(AudioError):
    kind = "not_audio"


class CorruptAudioError(AudioError):
    kind = "corrupt_audio"


class UnsupportedCodecError(AudioError):
    kind = "unsupported_codec"


class NoSpeechError(AudioError):
    kind = "no_speech"


class TooShortError(AudioError):
    kind = "too_short"


class TooLongError(AudioError):
    kind = "too_long"


class FileNotFoundCoachError(AudioError):
    kind = "file_not_found"


class ModelError(CoachError):
    """A Whisper model cannot be provided (unknown name, missing weights)."""

    kind = "model_error"


class ConfigError(CoachError):
    """A setting in coach.toml (or --config) is invalid; names the key."""

    kind = "config_error"


class ScriptError(CoachError):
    """A script given to ``coach script`` cannot be used (unreadable, empty); names the file."""

    kind = "script_error"


class RecordingError(CoachError):
    """The microphone cannot be used (no PortAudio, no device, busy...)."""

    kind = "recording_error"


class HistoryError(CoachError):
    """The take history cannot be read or written."""

    kind = "history_error"


class DamagedHistoryError(HistoryError):
    """The history database is damaged (not a database any more, or corrupt pages).

    The way out is to move it aside and start a new one
    (:func:`coach.history.store.move_aside`); the recordings stay where they are.
    """

    kind = "history_damaged"


class InternalError(CoachError):
    """A bug: an unexpected exception while analysing one file, reported for that file alone."""

    kind = "internal_error"

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
    """Longer than ``[analysis] max_duration_s``: from the header before decoding, or while decoding."""

    kind = "too_long"

    @classmethod
    def for_file(cls, name: str, seconds: float | None, max_s: float) -> TooLongError:
        """The one message for a recording past the limit; ``seconds`` None when decoding stopped at the limit."""
        from coach.clock import length

        how_long = f"is {length(seconds)} long; the limit is" if seconds is not None else "is longer than the limit of"
        return cls(
            f"{name} {how_long} {length(max_s)} ({max_s:g} s). A voicemail should "
            f"be well under a minute: trim the recording, or raise max_duration_s in coach.toml "
            f"if you really need longer files."
        )


#: Bytes in a megabyte, as ``[analysis] max_file_mb`` and Streamlit's ``server.maxUploadSize`` count them.
MEGABYTE = 1024 * 1024


class TooLargeError(AudioError):
    """A file larger than ``[analysis] max_file_mb``, refused from its size before anything is decoded."""

    kind = "too_large"

    @classmethod
    def for_file(cls, name: str, size_bytes: int, max_mb: float) -> TooLargeError:
        shown, limit = f"{size_bytes / MEGABYTE:,.1f} MB", f"{max_mb:g} MB"
        if shown == f"{max_mb:,.1f} MB":  # just over: the bytes show the difference
            shown, limit = f"{size_bytes:,} bytes", f"{limit} ({int(max_mb * MEGABYTE):,} bytes)"
        return cls(
            f"{name} is {shown}; the largest recording the coach accepts is {limit}. A voicemail is well "
            "under a minute (about 1 MB as MP3 or M4A): trim it or export it as MP3 or M4A and try again, "
            "or raise max_file_mb in coach.toml if you really need larger files."
        )


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

"""What a voicemail's length costs a calling block: pure arithmetic.

A rep who leaves ``messages_per_hour`` voicemails for ``hours`` spends
``message_s * messages_per_hour * hours`` seconds of the block just talking to
answering machines; at a callback rate ``r``, ``messages * r`` of those
messages are expected to bring a call back.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_MESSAGES_PER_HOUR = 10.0
DEFAULT_HOURS = 4.0
DEFAULT_CALLBACK_RATE = 0.05


@dataclass(frozen=True)
class BlockCost:
    message_s: float
    messages_per_hour: float
    hours: float
    callback_rate: float
    messages: float
    voicemail_s: float
    block_s: float
    expected_callbacks: float
    seconds_per_callback: float | None

    @property
    def share_of_block(self) -> float:
        """The fraction of the block spent leaving messages (0-1, may exceed 1)."""
        return self.voicemail_s / self.block_s if self.block_s > 0 else 0.0


def block_cost(
    message_s: float,
    *,
    messages_per_hour: float = DEFAULT_MESSAGES_PER_HOUR,
    hours: float = DEFAULT_HOURS,
    callback_rate: float = DEFAULT_CALLBACK_RATE,
) -> BlockCost:
    """The block's voicemail time and expected callbacks for one message length."""
    for name, value in (("message length", message_s), ("messages per hour", messages_per_hour), ("hours", hours)):
        if value < 0:
            raise ValueError(f"{name} cannot be negative (got {value})")
    if not 0.0 <= callback_rate <= 1.0:
        raise ValueError(f"callback rate must be between 0 and 1 (got {callback_rate})")
    messages = messages_per_hour * hours
    voicemail_s = message_s * messages
    callbacks = messages * callback_rate
    return BlockCost(
        message_s=message_s,
        messages_per_hour=messages_per_hour,
        hours=hours,
        callback_rate=callback_rate,
        messages=messages,
        voicemail_s=voicemail_s,
        block_s=hours * 3600.0,
        expected_callbacks=callbacks,
        seconds_per_callback=voicemail_s / callbacks if callbacks > 0 else None,
    )


def time_saved_s(current: BlockCost, target_message_s: float) -> float:
    """Seconds of the block won back if every message were ``target_message_s`` long."""
    return max(current.message_s - target_message_s, 0.0) * current.messages

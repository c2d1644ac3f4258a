"""Audio in: decode files (:mod:`~coach.audio.decode`), record the microphone
(:mod:`~coach.audio.recorder`, :mod:`~coach.audio.devices`, :mod:`~coach.audio.levels`),
resample and write WAV (:mod:`~coach.audio.pcm`), the phone-line rendering
for playback (:mod:`~coach.audio.phone_line`), and librosa imported with
numba's cache in a per-user folder (:mod:`~coach.audio.dsp`).
"""

#: The one sample rate everything after decoding works in (Whisper's rate).
SAMPLE_RATE = 16000

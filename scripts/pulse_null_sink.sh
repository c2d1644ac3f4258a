#!/usr/bin/env bash
# A virtual microphone for tests and CI: a PulseAudio null sink whose monitor
# is the default recording source, reachable through ALSA, so PortAudio (and
# so `coach record`) captures whatever `paplay` plays into the sink.
#
#   scripts/pulse_null_sink.sh          # or: up    - start PulseAudio if needed, add the sink
#   scripts/pulse_null_sink.sh status   # is it there?
#   scripts/pulse_null_sink.sh down     # undo what `up` did
#
# Needs (Debian/Ubuntu): pulseaudio pulseaudio-utils libasound2-plugins libportaudio2
#
# `up` is for test machines: it makes the sink's monitor the default input,
# so on a desktop your real microphone is not the default until `down`.
# Works as root (CI containers) as well as as a normal user. Clients find the
# server through $XDG_RUNTIME_DIR, or when that is unset through
# ~/.config/pulse, so run the tests with the same HOME/XDG_RUNTIME_DIR; the
# server address is printed at the end in case PULSE_SERVER must be set.
set -euo pipefail

SINK="${COACH_NULL_SINK:-coach_null}"
MARK="# written by voicemail-coach scripts/pulse_null_sink.sh"

if [ -z "${HOME:-}" ]; then
    HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"
    export HOME
fi
STATE_DIR="${XDG_RUNTIME_DIR:-$HOME/.config/pulse}"
STARTED_FLAG="$STATE_DIR/coach-null-sink.started-daemon"

die() { echo "pulse_null_sink: $*" >&2; exit 1; }
say() { echo "pulse_null_sink: $*" >&2; }

need() {
    command -v "$1" >/dev/null 2>&1 || die "$1 not found; install it: sudo apt-get install $2"
}

server_up() { pactl info >/dev/null 2>&1; }

sink_module() {
    # Index of the module-null-sink that created $SINK, if any.
    pactl list short modules | awk -v want="sink_name=$SINK" '$2 == "module-null-sink" && index($0, want) { print $1 }'
}

alsa_pulse_plugin() {
    local dir
    for dir in /usr/lib/*/alsa-lib /usr/lib/alsa-lib /usr/lib64/alsa-lib; do
        [ -e "$dir/libasound_module_pcm_pulse.so" ] && return 0
    done
    return 1
}

up() {
    need pulseaudio pulseaudio
    need pactl pulseaudio-utils
    need paplay pulseaudio-utils
    alsa_pulse_plugin || die "the ALSA pulse plugin is missing; install it: sudo apt-get install libasound2-plugins"

    if ! server_up; then
        mkdir -p "$STATE_DIR"
        # --exit-idle-time=-1: stay up between test runs; --disallow-exit: a
        # client cannot ask it to quit. As root it warns that it is "not
        # intended to be run as root" and runs anyway (per-user mode).
        pulseaudio --daemonize=yes --exit-idle-time=-1 --system=false --disallow-exit \
            --log-target=stderr --log-level=error \
            || die "pulseaudio did not start (see its messages above)"
        touch "$STARTED_FLAG"
        for _ in $(seq 1 50); do
            server_up && break
            sleep 0.2
        done
        server_up || die "pulseaudio started but pactl cannot reach it"
    fi

    if [ -z "$(sink_module)" ]; then
        # Mono at 44.1 kHz, the rate the ALSA "pulse" device reports as its
        # default: a mono file played in comes out at the same level (a
        # stereo sink upmixes mono at -6 dB) and PulseAudio need not resample.
        pactl load-module module-null-sink sink_name="$SINK" rate=44100 channels=1 channel_map=mono \
            sink_properties=device.description="Voicemail-Coach-test-sink" >/dev/null
    fi
    pactl set-default-sink "$SINK"
    pactl set-default-source "$SINK.monitor"

    # Route ALSA's default device to PulseAudio. Debian's pulseaudio package
    # already does so while the server runs (/etc/alsa/conf.d/99-pulse.conf);
    # elsewhere an ~/.asoundrc is written, and only if there is none.
    if [ ! -e /etc/alsa/conf.d/99-pulse.conf ] && [ ! -e "$HOME/.asoundrc" ]; then
        printf '%s\npcm.!default pulse\nctl.!default pulse\n' "$MARK" >"$HOME/.asoundrc"
        say "wrote $HOME/.asoundrc (ALSA default -> pulse)"
    fi

    status
}

status() {
    server_up || die "PulseAudio is not running (run: $0 up)"
    [ -n "$(sink_module)" ] || die "PulseAudio runs but has no sink $SINK (run: $0 up)"
    local server source
    server="$(pactl info | sed -n 's/^Server String: //p')"
    source="$(pactl info | sed -n 's/^Default Source: //p')"
    echo "PulseAudio server: $server"
    echo "Null sink: $SINK (play into it: paplay --device=$SINK FILE)"
    echo "Default source: $source"
    [ "$source" = "$SINK.monitor" ] || say "warning: the default source is not $SINK.monitor"
    echo "If a client cannot find the server, set PULSE_SERVER=unix:$server"
}

down() {
    if server_up; then
        local module
        for module in $(sink_module); do
            pactl unload-module "$module"
        done
    fi
    if [ -f "$HOME/.asoundrc" ] && head -n1 "$HOME/.asoundrc" | grep -qxF "$MARK"; then
        rm -f "$HOME/.asoundrc"
    fi
    if [ -f "$STARTED_FLAG" ]; then
        pulseaudio --kill 2>/dev/null || true
        rm -f "$STARTED_FLAG"
    fi
    say "removed $SINK"
}

case "${1:-up}" in
    up) up ;;
    status) status ;;
    down) down ;;
    *) die "usage: $0 [up|status|down]" ;;
esac

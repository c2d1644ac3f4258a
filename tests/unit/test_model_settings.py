"""The model settings: "fast" and "accurate" name the bundled models, for the CLI, the settings and the pipeline."""

from __future__ import annotations

from coach.analysis.models import DEFAULT_MODEL, SETTINGS, SOURCES, resolve_name
from coach.config import config_from_text
from coach.pipeline import Analyzer


def test_settings_name_bundled_models_and_other_names_pass_through() -> None:
    assert resolve_name("fast") == DEFAULT_MODEL == "tiny.en"
    # "accurate" is the model that coaches best on the evaluation set: tiny.en as measured (README "Evaluation").
    assert resolve_name("accurate") == resolve_name(" Accurate ") == "tiny.en"
    assert set(SETTINGS.values()) <= set(SOURCES)
    assert resolve_name("base") == "base" and resolve_name("models/mine.pt") == "models/mine.pt"


def test_the_report_names_the_model_not_the_setting() -> None:
    # No model is loaded until a take is analysed: the name is resolved at once.
    assert Analyzer("accurate").model_name == "tiny.en"
    assert Analyzer(config=config_from_text('[analysis]\nmodel = "base"\n')).model_name == "base"
    assert Analyzer("fast").model_name == "tiny.en"


def test_with_config_shares_the_loaded_model_and_takes_the_new_settings() -> None:
    first = Analyzer("fast")
    first._model = sentinel = object()  # stands for the loaded Whisper model: nothing is loaded here
    changed = config_from_text('ignore = ["VM302"]\n')
    other = first.with_config(changed)
    assert other.model is sentinel and other.model_name == "tiny.en"
    assert other.config is changed and not other.config.is_enabled("VM302")
    assert first.config.is_enabled("VM302")  # the shared one keeps its own settings

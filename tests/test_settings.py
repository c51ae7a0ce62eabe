"""Settings come from pydantic-settings' own sources: overrides > environment > config file > defaults."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from settings import Settings, config_file_path, load_settings, save_persisted


def write_config(text: str) -> Path:
    path = config_file_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_precedence_is_overrides_then_environment_then_file_then_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config('top_k = 7\nbackend = "openai"\ncandidates = 12\napp_password = "from-file"\n')
    monkeypatch.setenv("NOTEWISE_BACKEND", "local")
    settings = load_settings(candidates=40, top_k=None)  # None: not given
    assert (settings.top_k, settings.backend, settings.candidates) == (7, "local", 40)
    assert settings.dedup_threshold == Settings.model_fields["dedup_threshold"].default
    assert settings.app_password is None  # secrets come from the environment only
    assert Settings().top_k == 5  # the config file is read by load_settings only


def test_saved_choices_are_valid_toml_and_keep_the_file_s_other_keys(tmp_path: Path) -> None:
    path = write_config('dedup_threshold = 0.9\nextra = [1, 2]\n')
    notes = tmp_path / 'odd "name" \\ here'
    save_persisted(load_settings(notes_dir=notes, top_k=4))
    saved = tomllib.loads(path.read_text(encoding="utf-8"))
    assert saved["notes_dir"] == str(notes) and saved["top_k"] == 4
    assert saved["dedup_threshold"] == 0.9 and saved["extra"] == [1, 2]
    assert load_settings().notes_dir == notes

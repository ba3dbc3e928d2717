"""Agent options from defaults, per-game defaults, a config file and ``--set name=value``.

Later sources win: dataclass defaults < the agent's defaults for this game < ``--config FILE``
(TOML or JSON) < ``--set``. Values are converted to each field's declared type, and a wrong name or
value is an error that lists what is valid. Options that mean the same thing in every agent
(``batch_size``, ``gamma``, ``frameskip`` ...) are checked against their ranges in
:data:`RANGES`, so a value no agent can train with is refused before a run starts.
:func:`describe_options` lists every option with its type, defaults and the docstring written
under the field (``python -m pygameplayer options AGENT``).
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import math
import textwrap
import types
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import tomllib

from pygameplayer.errors import PygamePlayerError, did_you_mean


class ConfigError(PygamePlayerError, ValueError):
    """An agent option has an unknown name or a value of the wrong type."""


@dataclasses.dataclass(frozen=True)
class Range:
    """The values an option may take: ``low`` and ``high`` bounds, each included unless open."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False

    def admits(self, value: float) -> bool:
        """Whether ``value`` is in the range."""
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or value <= self.high

    def describe(self) -> str:
        """``at least 1``, ``between 0 and 1``, ``above 0`` ..."""
        if self.low is not None and self.high is not None:
            return f"between {self.low:g} and {self.high:g}" + (
                f" (not {self.low:g})" if self.low_open else ""
            )
        if self.low is not None:
            return f"{'above' if self.low_open else 'at least'} {self.low:g}"
        return f"at most {self.high:g}"


_COUNT, _NATURAL = Range(1), Range(0)
_POSITIVE, _FRACTION = Range(0, low_open=True), Range(0, 1)

#: Ranges of the options that mean the same in every agent that has them (``None`` is allowed
#: where the field's type allows it).
RANGES: dict[str, Range] = {
    **dict.fromkeys(
        (
            "batch_size",
            "buffer_size",
            "frameskip",
            "frame_stack",
            "frame_size",
            "hidden",
            "n_step",
            "train_frequency",
            "target_update_interval",
            "rollout_steps",
            "num_minibatches",
            "update_epochs",
            "rnd_features",
        ),
        _COUNT,
    ),
    **dict.fromkeys(("total_steps", "learning_starts", "obs_norm_init_steps"), _NATURAL),
    **dict.fromkeys(
        ("learning_rate", "max_grad_norm", "clip_coef", "obs_clip", "target_kl"), _POSITIVE
    ),
    **dict.fromkeys(
        (
            "gamma",
            "gamma_int",
            "gae_lambda",
            "exploration_initial",
            "exploration_final",
            "exploration_fraction",
            "eval_epsilon",
            "rnd_update_proportion",
        ),
        _FRACTION,
    ),
    "tau": Range(0, 1, low_open=True),
    **dict.fromkeys(("ent_coef", "vf_coef", "ext_coef", "int_coef"), _NATURAL),
}


def check_ranges(values: dict[str, Any]) -> None:
    """Raise :class:`ConfigError` for the first value outside its option's :data:`RANGES`."""
    for name, value in values.items():
        allowed = RANGES.get(name)
        if allowed is None or value is None or isinstance(value, (bool, str)):
            continue
        parts = value if isinstance(value, (tuple, list)) else (value,)
        if not all(math.isfinite(part) and allowed.admits(part) for part in parts):
            each = " (each number)" if parts is value else ""
            raise ConfigError(f"option {name!r} must be {allowed.describe()}{each}, got {value!r}")


def _field_types(config_class: type) -> dict[str, Any]:
    return typing.get_type_hints(config_class)


def _convert(name: str, value: Any, kind: Any) -> Any:
    """Convert ``value`` (often a string from the command line) to the field type ``kind``."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        is_none = value is None or (isinstance(value, str) and value.lower() in ("none", "null"))
        if is_none and type(None) in options:
            return None
        errors = []
        for option in options:
            if option is type(None):
                continue
            try:
                return _convert(name, value, option)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError("; ".join(errors))
    if origin is typing.Literal:
        allowed = typing.get_args(kind)
        if value in allowed:
            return value
        raise ConfigError(f"option {name!r} must be one of {list(allowed)}, got {value!r}")
    if kind is bool:
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"option {name!r} must be true or false, got {value!r}")
    if kind is int:
        try:
            number = float(value)
            if number != int(number) or isinstance(value, bool):
                raise ValueError
            return int(number)
        except (TypeError, ValueError):
            raise ConfigError(f"option {name!r} must be an integer, got {value!r}") from None
    if kind is float:
        try:
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"option {name!r} must be a number, got {value!r}") from None
    if kind is str:
        return str(value)
    if origin is tuple:
        parts = value if isinstance(value, (list, tuple)) else str(value).split(",")
        inner = typing.get_args(kind)
        item = inner[0] if inner else str
        return tuple(_convert(name, p, item) for p in parts)
    return value


def check_values(config_class: type, values: dict[str, Any], source: str) -> dict[str, Any]:
    """Validate names and convert values for ``config_class``; ``source`` names where they came."""
    kinds = _field_types(config_class)
    names = [f.name for f in dataclasses.fields(config_class)]
    checked = {}
    for name, value in values.items():
        if name not in kinds:
            raise ConfigError(
                f"unknown option {name!r} ({source})."
                + did_you_mean(name, names)
                + f" Options of {config_class.__name__}: {', '.join(names)}"
                " (python -m pygameplayer options AGENT shows each with its default)"
            )
        checked[name] = _convert(name, value, kinds[name])
    return checked


def parse_overrides(config_class: type, pairs: Iterable[str]) -> dict[str, Any]:
    """``["lr=1e-4", "double_dqn=false"]`` -> converted values."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"--set expects name=value, got {pair!r}")
        values[name.strip().replace("-", "_")] = value.strip()
    return check_values(config_class, values, "--set")


def read_config_file(path: str | Path) -> dict[str, Any]:
    """Read option values from a TOML or JSON file (a flat table of name = value)."""
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"config file {path} is not valid {path.suffix[1:] or 'TOML'}: {exc}"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"config file {path} must hold a table of name = value")
    return data


def resolve(
    config_class: type,
    game_defaults: dict[str, Any] | None = None,
    file_values: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
) -> Any:
    """Merge the option sources in order of precedence and build the config dataclass."""
    values: dict[str, Any] = {}
    values.update(check_values(config_class, game_defaults or {}, "game defaults"))
    values.update(check_values(config_class, file_values or {}, "config file"))
    values.update(overrides or {})
    check_ranges(values)
    try:
        return config_class(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"invalid options for {config_class.__name__}: {exc}") from None


@dataclasses.dataclass(frozen=True)
class OptionDoc:
    """One agent option as ``python -m pygameplayer options AGENT`` shows it."""

    name: str
    kind: str  #: the field's type, as written in the config class
    default: Any
    per_game: dict[str, Any]  #: game name -> the agent's default for that game, where it differs
    doc: str  #: the field's docstring, on one line


def describe_options(
    config_class: type, game_defaults: dict[str, dict[str, Any]] | None = None
) -> list[OptionDoc]:
    """Every option of an agent's config dataclass, with its type, defaults and docstring."""
    docs = _field_docstrings(config_class)
    kinds = _field_types(config_class)
    options = []
    for f in dataclasses.fields(config_class):
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = None
        per_game = {
            game: values[f.name]
            for game, values in sorted((game_defaults or {}).items())
            if f.name in values and values[f.name] != default
        }
        options.append(OptionDoc(f.name, _kind(f, kinds[f.name]), default, per_game, docs[f.name]))
    return options


def _kind(f: dataclasses.Field, kind: Any) -> str:
    """A field's type as a person reads it: its choices for a ``Literal``, else as written."""
    if typing.get_origin(kind) is typing.Literal:
        return "{" + ",".join(str(choice) for choice in typing.get_args(kind)) + "}"
    return f.type if isinstance(f.type, str) else getattr(kind, "__name__", str(kind))


def _field_docstrings(config_class: type) -> dict[str, str]:
    """The string literal under each field of a dataclass (and of its dataclass bases)."""
    docs = {f.name: "" for f in dataclasses.fields(config_class)}
    for cls in reversed(config_class.__mro__):
        if not dataclasses.is_dataclass(cls):
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
        except (OSError, TypeError):
            continue  # source unavailable: names and defaults are still listed
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for field_node, doc_node in zip(body, body[1:]):
            if (
                isinstance(field_node, ast.AnnAssign)
                and isinstance(field_node.target, ast.Name)
                and isinstance(doc_node, ast.Expr)
                and isinstance(doc_node.value, ast.Constant)
                and isinstance(doc_node.value.value, str)
            ):
                docs[field_node.target.id] = " ".join(doc_node.value.value.split())
    return docs

"""Shared fixtures: headless SDL, and a factory for environments around the toy games."""

import itertools
import os

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from testkit import KEYS

_ENV_ARGS = ("render_mode", "obs_type", "size", "frameskip", "resize", "fps", "window_scale")
_names = itertools.count()


@pytest.fixture
def make_env():
    """make_env(entry, actions=KEYS, **spec_and_env_kwargs) -> GameEnv, closed after the test."""
    from pygameplayer.env import GameEnv
    from pygameplayer.spec import GameSpec

    envs = []

    def factory(entry, actions=None, **kwargs):
        env_kwargs = {k: kwargs.pop(k) for k in _ENV_ARGS if k in kwargs}
        spec = GameSpec(name=f"toy{next(_names)}", entry=entry, actions=actions or KEYS, **kwargs)
        env = GameEnv(spec, **env_kwargs)
        envs.append(env)
        return env

    yield factory
    for env in envs:
        env.close()

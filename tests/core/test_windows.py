"""Real windows for people: the scale they are shown at, and audio that falls back quietly."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pygame
import pytest

import pygameplayer
from pygameplayer.window import auto_scale

SUPPORT = Path(__file__).resolve().parents[1] / "support"


def test_a_window_without_a_sound_card_plays_silently_and_quietly():
    """No audio device: SDL's dummy audio, no ALSA complaints, the game's sounds and MIDI music
    (without a synth) do not stop it."""
    script = textwrap.dedent(
        """
        import pygame
        import pygameplayer
        from pygameplayer.env import GameEnv
        spec = pygameplayer.GameSpec(
            name="beeper", entry="toygames.sound:main", actions={"noop": []}
        )
        env = GameEnv(spec, render_mode="human")
        env.reset(seed=0)
        for _ in range(6):
            env.step(0)
        print("mixer", pygame.mixer.get_init() is not None, flush=True)
        print("sounds played", env.unwrapped.session.main_module.plays, flush=True)
        env.close()
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "SDL_AUDIODRIVER"}
    env.update(SDL_VIDEODRIVER="dummy", PYTHONPATH=str(SUPPORT))
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "mixer True" in result.stdout and "sounds played 2" in result.stdout
    assert "ALSA" not in result.stderr, result.stderr


CATCH = {"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"]}


def play_catch(make_env, actions, **env_kwargs):
    env = make_env("toygames.catch:main", actions=CATCH, **env_kwargs)
    frames = [env.reset(seed=3)[0]]
    frames += [env.step(a)[0] for a in actions]
    return env, frames


def test_a_small_game_is_shown_enlarged_while_game_and_agent_see_its_own_size(make_env):
    actions = [1, 1, 0, 2, 2, 2, 0, 1]
    first, unscaled = play_catch(make_env, actions)
    first.close()
    env, shown = play_catch(make_env, actions, render_mode="human")
    game_surface = env.unwrapped.session.display_surface()
    window = pygame.display.get_surface()  # called from outside the game: the real window
    assert game_surface.get_size() == (40, 40)
    assert pygame.display.get_window_size() == window.get_size() == (480, 480)  # 12 x 40
    np.testing.assert_array_equal(np.array(shown), np.array(unscaled))
    assert np.array(shown).std() > 0  # the frames show something
    # nearest neighbour, whole factor: every 12x12 block of the window is one game pixel
    big = pygame.surfarray.array3d(window)
    small = pygame.surfarray.array3d(game_surface)
    np.testing.assert_array_equal(big, small.repeat(12, axis=0).repeat(12, axis=1))


def test_the_game_asks_for_its_window_and_gets_its_own_size(make_env, tmp_path):
    (tmp_path / "asker.py").write_text(ASKER)
    env = make_env(
        str(tmp_path / "asker.py"), actions={"noop": []}, render_mode="human", window_scale=3
    )
    env.reset(seed=0)
    env.step(0)
    game = env.unwrapped.session.main_module
    assert game.seen == [(32, 24), (32, 24), True]
    assert pygame.display.get_window_size() == (96, 72)
    assert pygame.display.get_surface().get_at((95, 71))[:3] == (200, 0, 0)  # all shown


ASKER = """
import pygame
import pygameplayer

pygame.init()
screen = pygame.display.set_mode((32, 24))
seen = [pygame.display.get_surface().get_size(), pygame.display.get_window_size(),
        pygame.display.get_surface() is screen]
clock = pygame.time.Clock()
while True:
    pygame.event.get()
    screen.fill((200, 0, 0))
    pygame.display.update((0, 0, 4, 4))  # a dirty rect in the game's pixels
    clock.tick(30)
"""


@pytest.mark.parametrize(
    ("size", "desktop", "scale"),
    [
        ((40, 40), None, 12),
        ((48, 48), (1920, 1080), 10),
        ((256, 320), (1920, 1080), 2),
        ((640, 480), (1920, 1080), 1),
        ((48, 48), (300, 200), 3),  # a small desktop caps it
        ((800, 600), (640, 480), 1),  # never below 1
    ],
)
def test_the_automatic_scale_is_the_smallest_whole_factor_reaching_480_pixels(size, desktop, scale):
    assert auto_scale(size, desktop) == scale


def test_a_bad_scale_is_refused_clearly(make_env):
    with pytest.raises(ValueError, match="window scale must be a whole number of at least 1"):
        make_env("toygames.catch:main", actions=CATCH, render_mode="human", window_scale=0)


@pytest.mark.parametrize(("scale", "window"), [([], (480, 480)), (["--scale", "3"], (30, 30))])
def test_watch_shows_the_agent_at_the_scale_asked_for(tmp_path, monkeypatch, scale, window):
    from pygameplayer.cli import main
    from pygameplayer.env import GameEnv

    pygameplayer.register_game(
        "watched", entry="toygames.endings:by_return", actions={"noop": [], "space": ["K_SPACE"]}
    )
    assert main(["run", "watched", "--steps", "20", "--runs-dir", str(tmp_path)]) == 0
    shown = []
    close = GameEnv.close

    def close_and_remember(env):
        if env.render_mode == "human":
            shown.append(pygame.display.get_window_size())
        close(env)

    monkeypatch.setattr(GameEnv, "close", close_and_remember)
    (run_dir,) = tmp_path.iterdir()
    assert main(["watch", str(run_dir), "--episodes", "1", *scale]) == 0  # 10x10 game
    assert shown == [window]


def test_each_new_episode_keeps_the_window_open(make_env, monkeypatch):
    """SDL closes and reopens a window at every set_mode: it would flicker and lose the focus."""
    opened = []
    real_set_mode = pygame.display.set_mode

    def set_mode(*args, **kwargs):
        opened.append(args)
        return real_set_mode(*args, **kwargs)

    monkeypatch.setattr(pygame.display, "set_mode", set_mode)
    env = make_env("toygames.catch:main", actions=CATCH, render_mode="human")
    for seed in range(3):
        env.reset(seed=seed)
        env.step(0)
    assert opened == [((480, 480), 0)]
    assert pygame.display.get_window_size() == (480, 480)

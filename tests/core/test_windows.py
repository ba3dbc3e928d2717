"""Real windows for people: the scale they are shown at, and audio that falls back quietly."""

import os
import subprocess
import sys
import textwrap

BEEPER = """
import pygame

pygame.init()
pygame.mixer.init()
screen = pygame.display.set_mode((8, 8))
beep = pygame.mixer.Sound(buffer=bytes(2000))
clock = pygame.time.Clock()
while True:
    pygame.event.get()
    beep.play()
    pygame.display.flip()
    clock.tick(30)
"""


def test_a_window_without_a_sound_card_plays_silently_and_quietly(tmp_path):
    """No audio device: SDL's dummy audio, no ALSA complaints, the game's mixer still works."""
    (tmp_path / "beeper.py").write_text(BEEPER)
    script = textwrap.dedent(
        """
        import pygame
        import pygameplayer
        from pygameplayer.env import GameEnv
        spec = pygameplayer.GameSpec(name="beeper", entry="beeper.py", actions={"noop": []})
        env = GameEnv(spec, render_mode="human")
        env.reset(seed=0)
        for _ in range(3):
            env.step(0)
        print("mixer", pygame.mixer.get_init() is not None, flush=True)
        env.close()
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "SDL_AUDIODRIVER"}
    env["SDL_VIDEODRIVER"] = "dummy"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "mixer True" in result.stdout
    assert "ALSA" not in result.stderr, result.stderr

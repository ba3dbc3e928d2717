"""Draw one picture of each bundled game, mid-play, for the README.

python docs/make_pictures.py
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from pathlib import Path  # noqa: E402

import numpy as np
import pygame

import pygameplayer
from pygameplayer.agents.scripted import load_policy

OUT = Path(__file__).resolve().parent / "images"
STEPS = {"pong": 240, "minipong": 90, "halfpong": 70, "tetris": 400, "pixelcopter": 60}
SCALE = {"pong": 1, "minipong": 6, "halfpong": 6, "tetris": 1, "pixelcopter": 5}


def main() -> None:
    """Play each game a little with its scripted policy and save the frame."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, steps in STEPS.items():
        env = pygameplayer.make(name, obs_type="state", render_mode="rgb_array")
        policy = load_policy(name)
        obs, _ = env.reset(seed=3)
        for _ in range(steps):
            obs, _, terminated, truncated, _ = env.step(policy(obs))
            if terminated or truncated:
                obs, _ = env.reset()
        frame = env.render()
        env.close()
        surface = pygame.surfarray.make_surface(np.ascontiguousarray(frame.transpose(1, 0, 2)))
        scale = SCALE[name]
        if scale != 1:
            size = (surface.get_width() * scale, surface.get_height() * scale)
            surface = pygame.transform.scale(surface, size)
        pygame.image.save(surface, str(OUT / f"{name}.png"))
        print(f"wrote {OUT / f'{name}.png'}")


if __name__ == "__main__":
    main()

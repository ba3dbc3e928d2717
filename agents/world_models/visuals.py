"""Pictures a person looks at to trust each stage, written into the run folder.

* ``vae_reconstructions.png``: recorded frames (top row) over V's reconstructions (bottom row);
* ``dream_*.gif``: a real episode, V's reconstruction of it, and M's dream of it side by side,
  each panel labelled (the dream starts from the episode's first frame and is fed the same
  actions, then runs on its own);
* ``cma_fitness.png``: CMA-ES fitness per generation (best, mean and mean-parameter candidate).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from pygameplayer.agents.world_models.mdnrnn import MDNRNN, sample_next_z
from pygameplayer.agents.world_models.vae import ConvVAE, frames_to_tensor

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SCALE = 3  # pixels per frame pixel in the pictures
DREAM_PANELS = ("the game", "V's reconstruction", "M's dream")
LABEL_HEIGHT = 22  # pixels of the strip above the GIF's panels that names them


def _to_rgb(frames: np.ndarray) -> np.ndarray:
    """``uint8`` frames ``(N, H, W[, C])`` -> ``(N, H, W, 3)``."""
    return np.repeat(frames[..., None], 3, axis=-1) if frames.ndim == 3 else frames


def _decoded(images: torch.Tensor) -> np.ndarray:
    """V's output ``(N, C, H, W)`` in [0, 1] -> ``uint8 (N, H, W, 3)``."""
    pixels = (images.clamp(0, 1) * 255).round().byte().permute(0, 2, 3, 1).cpu().numpy()
    return _to_rgb(pixels[..., 0]) if pixels.shape[-1] == 1 else pixels


def _save(grid: np.ndarray, path: Path) -> None:
    Image.fromarray(grid).resize(
        (grid.shape[1] * SCALE, grid.shape[0] * SCALE), Image.NEAREST
    ).save(path)


@torch.no_grad()
def reconstruction_grid(vae: ConvVAE, frames: np.ndarray, path: Path) -> Path:
    """Frames over their reconstructions through V's mean code, one column each."""
    device = next(vae.parameters()).device
    mu, _ = vae.encode(frames_to_tensor(frames, device))
    top, bottom = _to_rgb(frames), _decoded(vae.decode(mu))
    rows = [np.concatenate(list(row), axis=1) for row in (top, bottom)]
    _save(np.concatenate(rows, axis=0), path)
    return path


@torch.no_grad()
def dream_gif(
    vae: ConvVAE,
    mdnrnn: MDNRNN,
    frames: np.ndarray,
    actions: np.ndarray,
    path: Path,
    temperature: float = 1.0,
    seed: int = 0,
    fps: int = 15,
) -> Path:
    """Real frames | V's reconstructions | M's dream under the same actions, as a GIF."""
    device = next(vae.parameters()).device
    generator = torch.Generator().manual_seed(seed)
    mu, _ = vae.encode(frames_to_tensor(frames, device))
    z, state = mu[:1], mdnrnn.initial_state(1, device)
    dream = [z]
    for action in actions:
        out, state = mdnrnn.step(z, torch.as_tensor([int(action)], device=device), state)
        uniform = torch.rand(z.shape, generator=generator).to(device)
        noise = torch.randn(z.shape, generator=generator).to(device)
        z = sample_next_z(out, temperature, uniform, noise)
        dream.append(z)
    real, recon = _to_rgb(frames), _decoded(vae.decode(mu))
    dreamt = _decoded(vae.decode(torch.cat(dream)))
    gap = np.full((real.shape[1], 2, 3), 128, dtype=np.uint8)
    pictures = [
        np.concatenate([real[t], gap, recon[t], gap, dreamt[t]], axis=1) for t in range(len(real))
    ]
    labels = _panel_labels(pictures[0].shape[1] * SCALE, real.shape[2] + 2)
    images = []
    for picture in pictures:
        shown = Image.fromarray(picture).resize(
            (picture.shape[1] * SCALE, picture.shape[0] * SCALE), Image.NEAREST
        )
        frame = Image.new("RGB", (shown.width, shown.height + LABEL_HEIGHT))
        frame.paste(labels, (0, 0))
        frame.paste(shown, (0, LABEL_HEIGHT))
        images.append(frame)
    images[0].save(path, save_all=True, append_images=images[1:], duration=int(1000 / fps), loop=0)
    return path


def _panel_labels(width: int, panel_pixels: int) -> Image.Image:
    """The strip naming each of the GIF's panels, centred over it."""
    strip = Image.new("RGB", (width, LABEL_HEIGHT), (32, 32, 32))
    draw = ImageDraw.Draw(strip)
    font = ImageFont.load_default(size=14)
    for i, text in enumerate(DREAM_PANELS):
        centre = (i * panel_pixels + panel_pixels / 2 - 1) * SCALE
        draw.text((centre, LABEL_HEIGHT / 2), text, fill=(255, 255, 255), font=font, anchor="mm")
    return strip


def fitness_figure(history: dict[str, list[float]], title: str) -> Figure:
    """CMA-ES fitness per generation: best and mean candidate, and the mean parameters.

    The best candidate is drawn last, thick, with markers, so lines that meet it (the mean
    parameters often score as well) cannot hide it; generations are whole numbers.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    generations = np.arange(1, len(history["best"]) + 1)
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100, layout="constrained")
    ax.plot(generations, history["mean"], color="tab:blue", label="mean of candidates")
    ax.plot(generations, history["center"], "--", color="tab:orange", label="mean parameters")
    game = np.array(history.get("game", []), dtype=float)
    if len(game) and np.isfinite(game).any():
        ax.plot(generations, game, "s", color="tab:red", label="mean parameters in the game")
    ax.plot(
        generations,
        history["best"],
        "o-",
        color="tab:green",
        linewidth=2.5,
        markersize=4,
        alpha=0.8,
        zorder=3,
        label="best candidate",
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("generation")
    ax.set_ylabel("mean return per candidate")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.legend(loc="outside lower center", ncols=4, frameon=False)
    return fig


def fitness_curve(history: dict[str, list[float]], path: Path, title: str) -> Path:
    """Write :func:`fitness_figure` to ``path``."""
    import matplotlib.pyplot as plt

    fig = fitness_figure(history, title)
    fig.savefig(path)
    plt.close(fig)
    return path

"""The pictures people look at: their size, no label over another, no legend over the data.

Each picture is drawn from what its script draws it from (a run folder, the committed benchmark
CSVs); the committed PNGs are opened and their size checked against what the scripts make.
"""

import csv
import importlib.util
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from picturecheck import data_under_legends, drawn_texts, overlapping_texts
from PIL import Image

from pygameplayer.agents.plots import learning_curve, learning_curve_figure
from pygameplayer.agents.world_models.mdnrnn import MDNRNN
from pygameplayer.agents.world_models.vae import ConvVAE
from pygameplayer.agents.world_models.visuals import (
    DREAM_PANELS,
    LABEL_HEIGHT,
    SCALE,
    dream_gif,
    fitness_curve,
    fitness_figure,
)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def script(name):
    """A benchmark script, imported as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reads_at_a_glance(fig):
    assert overlapping_texts(fig) == []
    assert data_under_legends(fig) == []


def run_folder(tmp_path, episodes, step=100):
    with open(tmp_path / "episodes.csv", "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["step", "episode", "return", "length", "wall_time"])
        rng = np.random.default_rng(0)
        for i in range(episodes):
            out.writerow([(i + 1) * step, i + 1, rng.normal(i / 10, 3), step, 0])
    return tmp_path


@pytest.mark.parametrize(("episodes", "window"), [(7, None), (40, 5), (400, 40), (5000, 100)])
def test_the_learning_curve_s_mean_suits_the_number_of_episodes(tmp_path, episodes, window):
    fig = learning_curve_figure(run_folder(tmp_path, episodes), "dqn on pong")
    labels = [text for text, _ in drawn_texts(fig)]
    assert f"episode ({episodes})" in labels
    means = [label for label in labels if label.startswith("mean of")]
    assert means == ([] if window is None else [f"mean of {window}"])
    reads_at_a_glance(fig)
    plt.close(fig)
    path = learning_curve(tmp_path, "dqn on pong")
    assert Image.open(path).size == (800, 450)


def test_the_fitness_curve_counts_whole_generations_and_shows_the_best_on_top(tmp_path):
    history = {"best": [1.0, 2.0, 2.0], "mean": [0.0, 1.0, 1.5], "center": [1.0, 2.0, 2.0]}
    fig = fitness_figure(history, "CMA-ES in pong (8 candidates x 2 episodes)")
    texts = drawn_texts(fig)
    below = fig.axes[0].get_window_extent().y0
    ticks = [text for text, box in texts if box.y1 <= below and text[0].isdigit()]
    assert ticks == ["1", "2", "3"]  # not 0.5, 1.0, 1.5 ...
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    best = lines["best candidate"]
    assert all(best.get_zorder() > line.get_zorder() for line in lines.values() if line is not best)
    assert best.get_marker() not in (None, "None", "")  # seen where the lines coincide
    reads_at_a_glance(fig)
    plt.close(fig)
    assert Image.open(fitness_curve(history, tmp_path / "cma.png", "t")).size == (800, 450)


@torch.no_grad()
def test_the_dream_gif_names_its_three_panels(tmp_path):
    torch.manual_seed(0)
    vae, mdnrnn = ConvVAE(1, latent_size=4, width=4), MDNRNN(4, 2, hidden_size=8, num_mixtures=2)
    frames = np.random.default_rng(0).integers(0, 255, (6, 64, 64), dtype=np.uint8)
    path = dream_gif(vae, mdnrnn, frames, np.zeros(5, dtype=np.int64), tmp_path / "dream.gif")
    gif = Image.open(path)
    panel = (64 + 2) * SCALE
    assert gif.n_frames == 6 and gif.size == (3 * panel - 2 * SCALE, 64 * SCALE + LABEL_HEIGHT)
    strip = np.asarray(gif.convert("L"))[:LABEL_HEIGHT]
    for i in range(len(DREAM_PANELS)):  # white text over each panel, and only over it
        over = strip[:, i * panel : (i + 1) * panel - 2 * SCALE]
        assert (over > 200).sum() > 50
        assert (strip[:, (i + 1) * panel - 2 * SCALE : (i + 1) * panel] < 100).all()


PLOT_DQN = script("plot_dqn")


@pytest.mark.parametrize("name", sorted(PLOT_DQN.README_PICTURES))
def test_the_dqn_pictures_are_the_readme_s_and_use_its_names(name):
    readme = (ROOT / "README.md").read_text()
    assert f"(benchmarks/results/{name})" in readme
    clock, files = PLOT_DQN.README_PICTURES[name]
    ((game, curves),) = PLOT_DQN.read_curves(RESULTS, files=[RESULTS / f for f in files]).items()
    fig = PLOT_DQN.figure(game, curves, clock)
    labels = [text for text, _ in drawn_texts(fig)]
    assert sum("80% of the scripted policy" in label for label in labels) == 1
    for label, _ in curves:
        assert label in labels
        assert not any(raw in label for raw in ("step3", "dqn,", "None", "nature84", "fast1"))
    if name == "dqn_halfpong_earlier.png":
        for label in ("ours, `n_step=3`", "ours, matched to SB3 (`double_dqn=false`)"):
            assert label in readme
        assert {"ours, n_step=3", "ours, matched to SB3 (double_dqn=false)"} <= set(labels)
    reads_at_a_glance(fig)
    plt.close(fig)
    assert Image.open(RESULTS / name).size == (1100, 480)


def test_the_ppo_rnd_picture():
    bench = script("bench_ppo_rnd")
    fig = bench.figure(bench.read_curves(RESULTS / "ppo_rnd_pixelcopter.csv"), 80_000, 8)
    labels = [text for text, _ in drawn_texts(fig)]
    assert {"PPO", "PPO + RND", "RND only (no game reward)"} <= set(labels)
    reads_at_a_glance(fig)
    plt.close(fig)
    assert Image.open(RESULTS / "ppo_rnd_pixelcopter.png").size == (1600, 480)


@pytest.mark.parametrize("game", ["pixelcopter", "halfpong"])
def test_the_world_models_pictures(game):
    bench = script("bench_world_models")
    histories, rows, stages = bench.read_results(RESULTS)[game]
    fig = bench.figure(game, histories, rows, stages)
    labels = [text for text, _ in drawn_texts(fig)]
    assert {"random", "controller on [z, h]", "on z only (no M)"} <= set(labels)
    reads_at_a_glance(fig)
    plt.close(fig)
    panels = 3 if histories else 2
    assert Image.open(RESULTS / f"world_models_{game}.png").size == (550 * panels, 480)


def test_the_world_models_fitness_panel_keeps_its_legend_off_the_curves():
    bench = script("bench_world_models")
    _, rows, stages = bench.read_results(RESULTS)["pixelcopter"]
    g = np.arange(100)
    histories = {
        policy: {"best": list(np.sin(g) + 3), "center": list(np.sin(g)), "game": [np.nan] * 100}
        for policy in ("world_models", "world_models_z_only", "world_models_dream")
    }
    fig = bench.figure("pixelcopter", histories, rows, stages)
    reads_at_a_glance(fig)
    plt.close(fig)

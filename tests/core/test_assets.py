"""Assets loaded at every start are decoded once, and each episode gets fresh ones."""

import wave

import pygame
import pytest
from testkit import act


def make_assets(folder, images=3, sounds=2, shade=10):
    assets = folder / "assets"
    assets.mkdir(exist_ok=True)
    for i in range(images):
        image = pygame.Surface((16, 16), pygame.SRCALPHA)
        image.fill((shade + i, 100, 50, 200))
        pygame.image.save(image, str(assets / f"image{i}.png"))
    for i in range(sounds):
        with wave.open(str(assets / f"sound{i}.wav"), "wb") as sound:
            sound.setnchannels(1)
            sound.setsampwidth(2)
            sound.setframerate(22050)
            sound.writeframes(bytes(2 * 2205 * (i + 1)))
    return assets


@pytest.fixture
def asset_game(make_env, tmp_path):
    make_assets(tmp_path)
    return make_env("toygames.asset_heavy:main", workdir=str(tmp_path))


def test_what_a_game_does_to_its_assets_does_not_last_into_the_next_episode(asset_game):
    env = asset_game
    env.reset(seed=0)
    env.step(act(env, "space"))  # the game paints its first image red, turns a sound down
    env.step(act(env, "noop"))
    game = env.unwrapped.session.main_module
    assert tuple(game.seen[-1][0]) == (255, 0, 0, 255) and game.seen[-1][1] == 0.25
    env.reset(seed=1)
    env.step(act(env, "noop"))
    game = env.unwrapped.session.main_module
    assert tuple(game.seen[-1][0]) == (10, 100, 50, 200) and game.seen[-1][1] == 1.0


def test_assets_match_what_pygame_itself_loads(asset_game, tmp_path):
    env = asset_game
    env.reset(seed=0)
    game = env.unwrapped.session.main_module
    assets = tmp_path / "assets"
    for i, image in enumerate(game.images):
        mine = pygame.image.load(str(assets / f"image{i}.png"))  # the agent's: real PyGame
        assert pygame.image.tobytes(image, "RGBA") == pygame.image.tobytes(mine, "RGBA")
        assert image.get_flags() == mine.get_flags() and image.get_size() == mine.get_size()
    for i, sound in enumerate(game.sounds):
        mine = pygame.mixer.Sound(str(assets / f"sound{i}.wav"))
        assert sound.get_raw() == mine.get_raw() and sound.get_length() == mine.get_length()
    for font, (name, size) in zip(game.fonts, [(None, 24), ("sans", 18), (None, 40)]):
        mine = pygame.font.Font(None, size) if name is None else pygame.font.SysFont(name, size)
        text = "Hello, pygame 123"
        assert font.size(text) == mine.size(text) and font.get_height() == mine.get_height()
        drawn = [f.render(text, True, (255, 255, 255)) for f in (font, mine)]
        assert pygame.image.tobytes(drawn[0], "RGBA") == pygame.image.tobytes(drawn[1], "RGBA")


def test_a_changed_asset_file_is_loaded_again(asset_game, tmp_path):
    env = asset_game
    env.reset(seed=0)
    env.step(0)
    make_assets(tmp_path, shade=90)  # new files: newer modification times
    env.reset(seed=1)
    env.step(0)
    assert tuple(env.unwrapped.session.main_module.seen[-1][0]) == (90, 100, 50, 200)


def test_each_asset_is_decoded_once_however_many_starts(make_env, tmp_path, monkeypatch):
    make_assets(tmp_path, images=3, sounds=2)
    decoded = []
    real_load = pygame.image.load
    monkeypatch.setattr(pygame.image, "load", lambda *a: decoded.append(a[0]) or real_load(*a))
    env = make_env("toygames.asset_heavy:main", workdir=str(tmp_path))
    for seed in range(4):
        env.reset(seed=seed)
        env.step(0)
    assert sorted(decoded) == sorted(str(tmp_path / "assets" / f"image{i}.png") for i in range(3))

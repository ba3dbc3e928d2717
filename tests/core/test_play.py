"""``play``: a person at the keys (scripted here), paused until a key, episode after episode."""

import io

import pygame
import pytest

import pygameplayer
from pygameplayer import hooks
from pygameplayer.play import play


def down(key):
    return pygame.event.Event(pygame.KEYDOWN, key=key)


def up(key):
    return pygame.event.Event(pygame.KEYUP, key=key)


def person(*batches):
    """A scripted person: one batch of window events per frame (or per pause poll)."""
    return iter([list(batch) for batch in batches])


def recorder_game(logs):
    """The recorder toy game, with a hook that keeps hold of its log."""

    def keep_log(game):
        logs.append(game.main.log)
        return 0

    return pygameplayer.register_game(
        "recorder-play", entry="toygames.recorder:main", actions={"noop": []}, reward=keep_log
    )


def test_play_waits_on_the_first_frame_for_a_key_without_the_game_seeing_the_wait():
    logs, out = [], io.StringIO()
    spec = recorder_game(logs)
    episodes = play(
        spec,
        headless=True,
        person=person([], [], [], [down(pygame.K_SPACE)], [], [up(pygame.K_SPACE)], [down(27)]),
        out=out,
    )
    log = logs[-1]
    assert len(log) == 3  # the first frame, then one per batch after the key
    keys = (pygame.KEYDOWN, pygame.KEYUP)
    assert [e for e in log[0]["events"] if e[0] in keys] == [] and not log[0]["space"]
    assert log[1]["events"][0] == (pygame.KEYDOWN, pygame.K_SPACE) and log[1]["space"]
    assert log[2]["events"] == [(pygame.KEYUP, pygame.K_SPACE)] and not log[2]["space"]
    assert [entry["ticks"] for entry in log] == [0, 20, 40]  # the pause took no game time
    assert "paused: press a key" in out.getvalue()
    assert [(e.frames, e.end_reason) for e in episodes] == [(3, "Esc")]
    assert "episode 1: return 0, 3 frames, ended by Esc" in out.getvalue()


def test_a_key_tapped_between_two_frames_reaches_the_game_as_both_events():
    logs = []
    spec = recorder_game(logs)
    play(
        spec,
        headless=True,
        person=person([down(pygame.K_LEFT)], [down(pygame.K_SPACE), up(pygame.K_SPACE)], []),
        out=io.StringIO(),
    )
    log = logs[-1]
    # as from PyGame itself: every event in the frame's queue, space no longer held by then
    events = [e for e in log[1]["events"] if e[0] != pygame.TEXTINPUT]
    assert events == [
        (pygame.KEYDOWN, pygame.K_LEFT),  # the key that ended the pause
        (pygame.KEYDOWN, pygame.K_SPACE),
        (pygame.KEYUP, pygame.K_SPACE),
    ]
    assert not log[1]["space"] and log[1]["left"] and log[2]["left"]  # left: held all along


def test_play_goes_on_to_the_next_episode_until_esc_and_prints_each_return():
    spec = pygameplayer.register_game(
        "five-frames",
        entry="toygames.endings:by_return",
        actions={"noop": []},
        reward=hooks.variable_delta("toygames.endings:score"),
    )
    out = io.StringIO()
    space, a = pygame.K_SPACE, pygame.K_a
    episodes = play(
        spec,
        headless=True,
        person=person(
            *([down(space)], [up(space)], [down(space)], [up(space)], [], []),  # episode 1
            *([], [down(a)], [], [down(27)]),  # episode 2: paused, a key, a frame, Esc
        ),
        out=out,
    )
    assert [(e.total_reward, e.end_reason) for e in episodes] == [(2, "returned"), (0, "Esc")]
    text = out.getvalue()
    assert "episode 1: return 2, 6 frames, ended by returned" in text
    assert "episode 2: return 0, 2 frames, ended by Esc" in text
    assert "frame 2: +1 from variable_delta('toygames.endings:score'" in text


def test_each_hook_reports_its_own_reward_even_in_the_same_frame():
    spec = pygameplayer.register_game(
        "two-rewards",
        entry="toygames.endings:by_return",
        actions={"noop": []},
        reward=hooks.variable_delta("toygames.endings:score")
        - 5 * hooks.variable_delta("toygames.endings:frames"),
    )
    out = io.StringIO()
    play(spec, headless=True, person=person([down(pygame.K_SPACE)], [], [down(27)]), out=out)
    lines = [line for line in out.getvalue().splitlines() if "frame 2:" in line]
    assert len(lines) == 2, out.getvalue()
    assert "+1 from variable_delta('toygames.endings:score'" in lines[0]
    assert "-5 from variable_delta('toygames.endings:frames'" in lines[1]
    assert not any(": -4 from" in line for line in out.getvalue().splitlines())


@pytest.mark.parametrize(
    ("script", "reason"),
    [([[pygame.event.Event(pygame.QUIT)]], "window closed"), ([[down(27)]], "Esc"), ([], "left")],
)
def test_closing_the_window_or_esc_or_leaving_while_paused_plays_nothing(script, reason):
    spec = recorder_game([])
    assert play(spec, headless=True, person=person(*script), out=io.StringIO()) == []


def test_play_stops_at_the_frame_limit():
    spec = pygameplayer.register_game(
        "endless-play", entry="toygames.endings:never_ends", actions={"noop": []}
    )
    script = [[down(pygame.K_SPACE)]] + [[]] * 10
    episodes = play(spec, headless=True, max_frames=3, person=person(*script), out=io.StringIO())
    assert [(e.frames, e.end_reason) for e in episodes] == [(3, "frame limit")]


def test_the_mouse_in_an_enlarged_window_points_at_the_game_pixel_under_it():
    spec = pygameplayer.register_game(
        "click-play",
        entry="toygames.mouse_game:main",
        actions={"noop": []},
        reward=hooks.variable_delta("toygames.mouse_game:hits")
        - hooks.variable_delta("toygames.mouse_game:misses"),
    )
    click = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(80, 80), button=1)
    release = pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(80, 80), button=1)
    # a real (dummy-driver) window, three times the game's 80x60: (80, 80) is game pixel (26, 26),
    # outside the target at (30..50, 30..50); twice as large it would be (40, 40), inside
    outcomes = []
    for scale in (3, 2):
        episodes = play(
            spec, scale=scale, person=person([click], [release], [down(27)]), out=io.StringIO()
        )
        outcomes.append(episodes[0].total_reward)
    assert outcomes == [-1, 1]


def test_the_play_command_says_which_keys_play(monkeypatch, capsys):
    from pygameplayer import play as play_module
    from pygameplayer.cli import main

    script = person([down(pygame.K_UP)], [], [], [down(27)])
    monkeypatch.setattr(play_module, "window_events", lambda: script)
    assert main(["play", "pixelcopter", "--scale", "2"]) == 0
    out = capsys.readouterr().out
    assert "keys noop=nothing, up=up; Esc or closing the window quits" in out
    assert "paused: press a key" in out and "episode 1: return 0, 3 frames, ended by Esc" in out
    assert main(["play", "pixelcopter", "--scale", "0"]) == 2
    assert "--scale must be a whole number of at least 1" in capsys.readouterr().err

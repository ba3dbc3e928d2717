"""Pixelcopter: fly a copter through a wavy cave, around blocks. Hold Up (or W, or Space) to climb.

Each round waits, the copter hovering at the start, until a key is pressed; a crash ends the
round, and after a moment the next one waits for a key. Close the window to stop.

A remake of the PyGame Learning Environment's Pixelcopter (ple/games/pixelcopter.py), with the
same screen size, geometry and speeds, so that results on the two compare:

* screen 48x48 (any size works: ``main(size)`` or ``python -m games.pixelcopter 256``);
* copter 0.05 x 0.05 of the screen, its centre 0.35 of the width from the left, starting halfway
  down at rest;
* the cave is made of segments 0.1 of the width wide, each with a centre line at
  ``int(size/2 + 0.125*size*sin(f*x + u))``, ``u`` uniform in [0, 0.5] per segment and
  ``f = 4.5/size + uniform(-0.01, 0.01)`` drawn afresh for every 4 screen widths of cave; the
  ceiling is 0.25 of the height above the centre line, the floor 0.25 below;
* blocks are int(0.1*width) x int(0.2*height); a new one appears, centred a random whole number of
  pixels in [size, 1.5*size) from the left edge, when the previous one passes the copter; its
  centre is ``size/2 + k`` with k a whole number in [-0.25*size, 0.25*size), moved 0.1*size
  further from the middle unless it is 0;
* everything scrolls left at 0.4 screen widths per second; gravity pulls at 1.08 screen widths
  per s², holding the key climbs at 10.5 widths per s² instead, and the copter keeps 99% of its
  velocity each 1/30 s step. At PLE's default 30 frames per second this is PLE's motion exactly;
  unlike PLE, whose motion depends on its frame time, the physics here runs in fixed 1/30 s steps
  at any frame rate.

Scoring, as PLE's: one point each time a block passes the copter's centre and one for each cave
segment that scrolls off the left edge (its centre 1 segment width beyond it); crashing into the
ceiling, the floor or a block costs the one life and ends the game. Unlike PLE, the ceiling and
floor are drawn where they collide (PLE draws its floor 0.05 of the height lower) and the copter
crashes when its square touches them; the band the copter's centre can fly in is 0.45 of the
height, as in PLE.
"""

import math
import random
import sys

import pygame

SIZE = 48  # screen width and height, pixels
FPS = 30
STEPS_PER_SECOND = 30  # physics steps per second of game time
DT = 1 / STEPS_PER_SECOND

# Geometry, as fractions of the screen size.
COPTER_X = 0.35
COPTER_SIZE = 0.05
BLOCK_WIDTH, BLOCK_HEIGHT = 0.1, 0.2
SEGMENT_WIDTH = 0.1
CAVE_HALF_GAP = 0.25  # ceiling and floor distance from the cave's centre line
CAVE_WAVE = 0.125  # how far the centre line swings up and down
CAVE_BATCH = 4  # screen widths of cave made with one wave frequency

# Motion, in screen sizes per second (and per second squared).
SCROLL_SPEED = 0.4
GRAVITY = 1.08
THRUST = -10.5  # replaces gravity while the key is held
DRAG = 0.99  # fraction of velocity kept per 1/30 s

CRASH_PAUSE_MS = 800  # the crash stays on screen this long before the next round

BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
GREEN = (120, 240, 80)

score = 0
lives = 1
copter = None
cave = None
blocks = []
scroll = 0.0  # how far the cave has scrolled, pixels


class Copter:
    """The player: a square at a fixed x that climbs or falls. ``y`` is its centre."""

    def __init__(self, size):
        self.size = COPTER_SIZE * size
        self.x = int(COPTER_X * size)
        self.y = size / 2
        self.velocity = 0.0  # pixels per second, down is positive
        self.thrust = THRUST * size
        self.gravity = GRAVITY * size
        self.drag = DRAG ** (DT * 30)
        side = max(1, int(self.size))
        self.rect = [self.x - side // 2, 0, side, side]

    def update(self, climbing):
        accel = self.thrust if climbing else self.gravity
        self.velocity = (self.velocity + accel * DT) * self.drag
        self.y += self.velocity * DT

    def draw(self, screen):
        self.rect[1] = int(self.y - self.size / 2)
        screen.fill(WHITE, self.rect)


class Cave:
    """The cave: segments of equal width, each with its own ceiling and floor height.

    Segment ``i`` covers world x from ``i * width`` to ``(i + 1) * width``; ``first`` is the index
    of the oldest segment still kept.
    """

    def __init__(self, size):
        self.size = size
        self.width = int(SEGMENT_WIDTH * size)
        self.half_gap = CAVE_HALF_GAP * size
        self.first = 0
        self.ceilings = []
        self.floors = []
        self.made = 0  # segments made so far
        self.batch_left = 0
        self.frequency = 0.0

    def extend(self, world_x):
        """Make segments until the cave reaches ``world_x``."""
        while self.made * self.width < world_x:
            if self.batch_left == 0:
                self.batch_left = CAVE_BATCH * self.size // self.width
                self.frequency = 4.5 / self.size + random.uniform(-0.01, 0.01)
            centre_x = self.made * self.width + self.width // 2
            wave = math.sin(self.frequency * centre_x + random.uniform(0.0, 0.5))
            middle = int(self.size / 2 + CAVE_WAVE * self.size * wave)
            self.ceilings.append(middle - self.half_gap)
            self.floors.append(middle + self.half_gap)
            self.made += 1
            self.batch_left -= 1

    def gap_at(self, world_x):
        """Ceiling and floor y of the segment at ``world_x``."""
        i = int(world_x // self.width) - self.first
        return self.ceilings[i], self.floors[i]

    def drop_passed(self, scroll):
        """Forget segments whose centre is a segment width off the left edge; return how many."""
        passed = 0
        while (self.first + 0.5) * self.width - scroll <= -self.width:
            del self.ceilings[0], self.floors[0]
            self.first += 1
            passed += 1
        return passed

    def draw(self, screen, scroll):
        # Walls everywhere, then the open gap of each segment on screen.
        screen.fill(GREEN)
        width = self.width
        offset = int(scroll)
        i = max(0, offset // width - self.first)
        x = (self.first + i) * width - offset
        ceilings, floors = self.ceilings, self.floors
        while x < self.size:
            top = int(ceilings[i])
            screen.fill(BLACK, (x, top, width, int(floors[i]) - top))
            x += width
            i += 1


class Block:
    """An obstacle hanging in the cave. ``x`` (world) and ``y`` are its centre."""

    def __init__(self, size, scroll):
        self.width = int(BLOCK_WIDTH * size)
        self.height = int(BLOCK_HEIGHT * size)
        self.x = scroll + random.randint(size, int(1.5 * size) - 1)
        offset = random.randint(int(-0.25 * size), int(0.25 * size) - 1)
        if offset < 0:
            offset -= int(0.1 * size)
        elif offset > 0:
            offset += int(0.1 * size)
        self.y = offset + int(0.5 * size)
        self.top = self.y - self.height / 2
        self.bottom = self.y + self.height / 2
        self.passed = False

    def touches(self, copter, scroll):
        reach_x = (self.width + copter.size) / 2
        reach_y = (self.height + copter.size) / 2
        return abs(self.x - scroll - copter.x) < reach_x and abs(self.y - copter.y) < reach_y

    def draw(self, screen, scroll):
        left = int(self.x - scroll) - self.width // 2
        screen.fill(GREEN, (left, int(self.top), self.width, self.height))


def crashed_into_cave(copter, scroll):
    """Whether the copter touches the ceiling or floor of a segment under it."""
    half = copter.size / 2
    for x in (scroll + copter.x - half, scroll + copter.x + half):
        ceiling, floor = cave.gap_at(x)
        if copter.y - half <= ceiling or copter.y + half >= floor:
            return True
    return False


def next_block(copter, scroll):
    """The nearest block ahead of the copter's centre."""
    ahead = [b for b in blocks if b.x - scroll > copter.x]
    return min(ahead, key=lambda b: b.x) if ahead else None


def wait_for_key(screen, clock):
    """Keep showing the screen until a key is pressed; False if the window is closed instead."""
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return False
            if event.type == pygame.KEYDOWN:
                return True
        pygame.display.flip()
        clock.tick(FPS)


def show_crash(clock):
    """Leave the crash on screen for a moment; False if the window is closed meanwhile."""
    shown_ms = 0
    while shown_ms < CRASH_PAUSE_MS:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return False
        pygame.display.flip()
        shown_ms += clock.tick(FPS)
    return True


def draw(screen):
    """The cave, the blocks and the copter where they are now."""
    cave.draw(screen, scroll)
    for block in blocks:
        block.draw(screen, scroll)
    copter.draw(screen)


def fly(screen, clock, size):
    """One round, one life: wait for a key, then fly until the copter crashes.

    Returns True after a crash, False if the window was closed.
    """
    global score, lives, copter, cave, blocks, scroll
    score, lives = 0, 1
    copter = Copter(size)
    cave = Cave(size)
    cave.extend(2 * size)
    blocks = [Block(size, 0.0)]
    scroll = 0.0
    speed = SCROLL_SPEED * size
    draw(screen)
    if not wait_for_key(screen, clock):
        return False
    ticks = 0  # game time flown so far, ms
    steps = 0  # physics steps done so far

    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return False

        keys = pygame.key.get_pressed()
        climbing = keys[pygame.K_UP] or keys[pygame.K_w] or keys[pygame.K_SPACE]
        # Physics catches up with game time in whole steps, to the nearest step (so frames
        # of 33 and 34 ms are one step each at 30 frames per second).
        while steps < (ticks * STEPS_PER_SECOND + 499) // 1000 and lives > 0:
            steps += 1
            copter.update(climbing)
            scroll += speed * DT
            cave.extend(scroll + 2 * size)
            if crashed_into_cave(copter, scroll) or any(
                block.touches(copter, scroll) for block in blocks
            ):
                lives -= 1
            newest = blocks[-1]
            if not newest.passed and newest.x - scroll <= copter.x:
                newest.passed = True
                score += 1
                blocks.append(Block(size, scroll))
            if blocks[0].x - scroll <= -blocks[0].width:
                del blocks[0]
            score += cave.drop_passed(scroll)

        draw(screen)
        pygame.display.flip()
        if lives == 0:
            return True
        ticks += clock.tick(FPS)


def main(size=SIZE):
    """Play round after round until the window is closed; ``size`` is the screen's side."""
    pygame.init()
    screen = pygame.display.set_mode((size, size))
    pygame.display.set_caption("Pixelcopter")
    clock = pygame.time.Clock()
    while fly(screen, clock, size) and show_crash(clock):
        pass
    pygame.quit()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else SIZE)

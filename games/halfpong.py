"""Half Pong: one paddle (Up/Down or W/S) against a wall, on a 40x40 screen.

The ball bounces off the top, the bottom and the wall on the right; you keep it in play. Every
return counts as a hit, every ball that gets past you as a miss; after MAX_MISSES misses the game
is over. Where the ball meets the paddle sets its angle and it speeds up with every hit, as in
Pong; after a miss it is served again at the starting speed.

Physics runs in fixed steps of 1/30 s of game time, whatever the frame rate.
"""

import math
import random

import pygame

WIDTH, HEIGHT = 40, 40
FPS = 30
STEPS_PER_SECOND = 30  # physics steps per second of game time
STEP_MS = 1000 / STEPS_PER_SECOND
DT = 1 / STEPS_PER_SECOND

WALL_WIDTH = 1
PADDLE_WIDTH, PADDLE_HEIGHT = 2, 8
PADDLE_MARGIN = 1
PADDLE_SPEED = 40  # pixels per second

BALL_SIZE = 2
BALL_SPEED = 30  # pixels per second at the serve
BALL_SPEEDUP = 1.05
BALL_MAX_SPEED = 90  # 3 px per step: less than paddle + ball width, so no tunnelling
MAX_BOUNCE_ANGLE = math.radians(60)
MAX_SERVE_ANGLE = math.radians(30)
SERVE_DELAY_MS = 300

MAX_MISSES = 5

BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
GREY = (128, 128, 128)

hits = 0
misses = 0


class Paddle:
    """Your bat on the left edge. ``x``, ``y`` are its centre."""

    def __init__(self):
        self.x = PADDLE_MARGIN + PADDLE_WIDTH / 2
        self.y = HEIGHT / 2

    def move(self, dy):
        half = PADDLE_HEIGHT / 2
        self.y = min(max(self.y + dy, half), HEIGHT - half)

    def draw(self, screen):
        left = int(self.x - PADDLE_WIDTH / 2)
        top = int(self.y - PADDLE_HEIGHT / 2)
        screen.fill(WHITE, (left, top, PADDLE_WIDTH, PADDLE_HEIGHT))


class Ball:
    """The ball: position (centre), velocity in pixels per second, and a pause before serving."""

    def __init__(self):
        self.x = WIDTH / 2
        self.y = HEIGHT / 2
        self.vx = 0.0
        self.vy = 0.0
        self.speed = BALL_SPEED
        self.wait_ms = 0.0

    def serve(self):
        """Put the ball in the middle and, after a short pause, send it towards the paddle."""
        self.x, self.y = WIDTH / 2, HEIGHT / 2
        self.speed = BALL_SPEED
        angle = random.uniform(-MAX_SERVE_ANGLE, MAX_SERVE_ANGLE)
        self.vx = -self.speed * math.cos(angle)
        self.vy = self.speed * math.sin(angle)
        self.wait_ms = SERVE_DELAY_MS

    def update(self):
        if self.wait_ms > 0:
            self.wait_ms -= STEP_MS
            return
        self.x += self.vx * DT
        self.y += self.vy * DT
        half = BALL_SIZE / 2
        if self.y < half:
            self.y = 2 * half - self.y
            self.vy = -self.vy
        elif self.y > HEIGHT - half:
            self.y = 2 * (HEIGHT - half) - self.y
            self.vy = -self.vy
        wall = WIDTH - WALL_WIDTH - half
        if self.x > wall:
            self.x = 2 * wall - self.x
            self.vx = -self.vx

    def hits(self, paddle):
        reach_x = (PADDLE_WIDTH + BALL_SIZE) / 2
        reach_y = (PADDLE_HEIGHT + BALL_SIZE) / 2
        return abs(self.x - paddle.x) <= reach_x and abs(self.y - paddle.y) <= reach_y

    def bounce_off(self, paddle):
        """Send the ball back to the wall, steeper the further from the middle it hit."""
        reach_y = (PADDLE_HEIGHT + BALL_SIZE) / 2
        offset = max(-1.0, min(1.0, (self.y - paddle.y) / reach_y))
        angle = offset * MAX_BOUNCE_ANGLE
        self.speed = min(self.speed * BALL_SPEEDUP, BALL_MAX_SPEED)
        self.vx = self.speed * math.cos(angle)
        self.vy = self.speed * math.sin(angle)
        self.x = paddle.x + (PADDLE_WIDTH + BALL_SIZE) / 2

    def draw(self, screen):
        half = BALL_SIZE / 2
        screen.fill(WHITE, (int(self.x - half), int(self.y - half), BALL_SIZE, BALL_SIZE))


paddle = Paddle()
ball = Ball()


def main():
    """Play until MAX_MISSES balls got past or the window is closed."""
    global hits, misses
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    pygame.display.set_caption("Half Pong")
    clock = pygame.time.Clock()

    hits = misses = 0
    paddle.y = HEIGHT / 2
    ball.serve()
    ticks = 0  # game time so far, ms
    steps = 0  # physics steps done so far

    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                pygame.quit()
                return

        keys = pygame.key.get_pressed()
        # Physics catches up with game time in whole steps, to the nearest step (so frames
        # of 33 and 34 ms are one step each at 30 frames per second).
        while steps < (ticks * STEPS_PER_SECOND + 499) // 1000:
            steps += 1
            if keys[pygame.K_UP] or keys[pygame.K_w]:
                paddle.move(-PADDLE_SPEED * DT)
            if keys[pygame.K_DOWN] or keys[pygame.K_s]:
                paddle.move(PADDLE_SPEED * DT)
            ball.update()
            if ball.vx < 0 and ball.hits(paddle):
                ball.bounce_off(paddle)
                hits += 1
            elif ball.x < -BALL_SIZE:
                misses += 1
                ball.serve()

        screen.fill(BLACK)
        screen.fill(GREY, (WIDTH - WALL_WIDTH, 0, WALL_WIDTH, HEIGHT))
        paddle.draw(screen)
        ball.draw(screen)
        pygame.display.flip()
        if misses >= MAX_MISSES:
            return
        ticks += clock.tick(FPS)


if __name__ == "__main__":
    main()

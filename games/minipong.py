"""Mini Pong: Pong on a 40x40 screen with no score display, small enough to learn from quickly.

The rules are those of games/pong.py: you are the left paddle (Up/Down or W/S), the computer the
right one; where the ball meets a paddle sets its angle, the ball speeds up over a rally, the
computer's speed is capped, first to 21 wins. This file stands alone rather than importing
games.pong: every size and speed here is its own (a 2-pixel ball cannot share pixel constants
with a 10-pixel one), and a game you can read and copy as one file is what hobbyist games are.

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

PADDLE_WIDTH, PADDLE_HEIGHT = 2, 8
PADDLE_MARGIN = 1
PLAYER_SPEED = 40  # pixels per second
CPU_SPEED = 22
CPU_DEAD_ZONE = 1

BALL_SIZE = 2
BALL_SPEED = 30  # pixels per second at the serve
BALL_SPEEDUP = 1.08
BALL_MAX_SPEED = 100  # 3.3 px per step: less than paddle + ball width, so no tunnelling
MAX_BOUNCE_ANGLE = math.radians(60)
MAX_SERVE_ANGLE = math.radians(30)
SERVE_DELAY_MS = 300

WIN_SCORE = 21

BLACK = (0, 0, 0)
WHITE = (255, 255, 255)

player_score = 0
cpu_score = 0


class Paddle:
    """A bat that slides up and down its side of the screen. ``x``, ``y`` are its centre."""

    def __init__(self, x):
        self.x = x
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

    def serve(self, direction):
        """Put the ball in the middle and, after a short pause, send it towards ``direction``."""
        self.x, self.y = WIDTH / 2, HEIGHT / 2
        self.speed = BALL_SPEED
        angle = random.uniform(-MAX_SERVE_ANGLE, MAX_SERVE_ANGLE)
        self.vx = direction * self.speed * math.cos(angle)
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

    def hits(self, paddle):
        reach_x = (PADDLE_WIDTH + BALL_SIZE) / 2
        reach_y = (PADDLE_HEIGHT + BALL_SIZE) / 2
        return abs(self.x - paddle.x) <= reach_x and abs(self.y - paddle.y) <= reach_y

    def bounce_off(self, paddle, direction):
        """Send the ball back towards ``direction``, steeper the further from the middle it hit."""
        reach_y = (PADDLE_HEIGHT + BALL_SIZE) / 2
        offset = max(-1.0, min(1.0, (self.y - paddle.y) / reach_y))
        angle = offset * MAX_BOUNCE_ANGLE
        self.speed = min(self.speed * BALL_SPEEDUP, BALL_MAX_SPEED)
        self.vx = direction * self.speed * math.cos(angle)
        self.vy = self.speed * math.sin(angle)
        self.x = paddle.x + direction * (PADDLE_WIDTH + BALL_SIZE) / 2

    def draw(self, screen):
        half = BALL_SIZE / 2
        screen.fill(WHITE, (int(self.x - half), int(self.y - half), BALL_SIZE, BALL_SIZE))


def cpu_move(paddle, ball):
    """Follow the ball while it comes this way, drift back to the middle otherwise."""
    target = ball.y if ball.vx > 0 else HEIGHT / 2
    diff = target - paddle.y
    if abs(diff) > CPU_DEAD_ZONE:
        step = CPU_SPEED * DT
        paddle.move(max(-step, min(step, diff)))


player = Paddle(PADDLE_MARGIN + PADDLE_WIDTH / 2)
cpu = Paddle(WIDTH - PADDLE_MARGIN - PADDLE_WIDTH / 2)
ball = Ball()


def main():
    """Play until one side reaches WIN_SCORE or the window is closed."""
    global player_score, cpu_score
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    pygame.display.set_caption("Mini Pong")
    clock = pygame.time.Clock()

    player_score = cpu_score = 0
    player.y = cpu.y = HEIGHT / 2
    ball.serve(random.choice((-1, 1)))
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
                player.move(-PLAYER_SPEED * DT)
            if keys[pygame.K_DOWN] or keys[pygame.K_s]:
                player.move(PLAYER_SPEED * DT)
            cpu_move(cpu, ball)
            ball.update()
            if ball.vx < 0 and ball.hits(player):
                ball.bounce_off(player, 1)
            elif ball.vx > 0 and ball.hits(cpu):
                ball.bounce_off(cpu, -1)
            if ball.x < -BALL_SIZE:
                cpu_score += 1
                ball.serve(-1)
            elif ball.x > WIDTH + BALL_SIZE:
                player_score += 1
                ball.serve(1)

        screen.fill(BLACK)
        player.draw(screen)
        cpu.draw(screen)
        ball.draw(screen)
        pygame.display.flip()
        if player_score >= WIN_SCORE or cpu_score >= WIN_SCORE:
            return
        ticks += clock.tick(FPS)


if __name__ == "__main__":
    main()

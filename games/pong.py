"""Pong: you are the left paddle (Up/Down or W/S), the computer plays the right one.

Where the ball meets your paddle sets its angle: the middle sends it back flat, the ends send it
off steeply. The ball gets faster with every hit of a rally. The computer follows the ball but
cannot move faster than CPU_SPEED, so steep fast balls get past it. First to 21 wins.

The game moves in fixed steps of 1/60 s of game time however fast frames are drawn, so it plays
the same on any machine.
"""

import math
import random

import pygame

WIDTH, HEIGHT = 640, 480
FPS = 60
STEPS_PER_SECOND = 60  # physics steps per second of game time
STEP_MS = 1000 / STEPS_PER_SECOND
DT = 1 / STEPS_PER_SECOND

PADDLE_WIDTH, PADDLE_HEIGHT = 10, 80
PADDLE_MARGIN = 20  # gap between a paddle and its side of the screen
PLAYER_SPEED = 420  # pixels per second
CPU_SPEED = 240  # the computer's top speed: slower than the fastest balls
CPU_DEAD_ZONE = 6  # the computer does not chase tiny differences (no jitter)

BALL_SIZE = 10
BALL_SPEED = 360  # pixels per second at the serve
BALL_SPEEDUP = 1.08  # factor per paddle hit
BALL_MAX_SPEED = 780  # 13 px per step: still less than paddle + ball width, so no tunnelling
MAX_BOUNCE_ANGLE = math.radians(60)
MAX_SERVE_ANGLE = math.radians(30)
SERVE_DELAY_MS = 600

WIN_SCORE = 21

BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
GREY = (90, 90, 90)

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


def make_background():
    """The black court with its dashed net, drawn once."""
    background = pygame.Surface((WIDTH, HEIGHT)).convert()
    background.fill(BLACK)
    for y in range(0, HEIGHT, 30):
        background.fill(GREY, (WIDTH // 2 - 2, y + 8, 4, 14))
    return background


player = Paddle(PADDLE_MARGIN + PADDLE_WIDTH / 2)
cpu = Paddle(WIDTH - PADDLE_MARGIN - PADDLE_WIDTH / 2)
ball = Ball()


def main():
    """Play until one side reaches WIN_SCORE or the window is closed."""
    global player_score, cpu_score
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    pygame.display.set_caption("Pong")
    clock = pygame.time.Clock()
    font = pygame.font.Font(None, 64)
    background = make_background()

    player_score = cpu_score = 0
    player.y = cpu.y = HEIGHT / 2
    ball.serve(random.choice((-1, 1)))
    shown_scores = None
    score_images = []
    ticks = 0  # game time so far, ms
    steps = 0  # physics steps done so far

    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                pygame.quit()
                return

        keys = pygame.key.get_pressed()
        # Physics catches up with game time in whole steps, to the nearest step (so frames
        # of 16 and 17 ms are one step each at 60 frames per second).
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

        if shown_scores != (player_score, cpu_score):
            shown_scores = (player_score, cpu_score)
            score_images = [font.render(str(s), True, WHITE) for s in shown_scores]
        screen.blit(background, (0, 0))
        screen.blit(score_images[0], (WIDTH // 4 - score_images[0].get_width() // 2, 20))
        screen.blit(score_images[1], (3 * WIDTH // 4 - score_images[1].get_width() // 2, 20))
        player.draw(screen)
        cpu.draw(screen)
        ball.draw(screen)
        pygame.display.flip()
        if player_score >= WIN_SCORE or cpu_score >= WIN_SCORE:
            return
        ticks += clock.tick(FPS)


if __name__ == "__main__":
    main()

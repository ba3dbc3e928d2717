"""Reads input through every pygame.event function, with and without type filters."""

import pygame

received = []
peeks = []
polls = 0


def main():
    global polls
    pygame.init()
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    while True:
        pygame.event.pump()
        peeks.append(
            (pygame.event.peek(pygame.KEYDOWN), pygame.event.peek(eventtype=[pygame.KEYUP]))
        )
        for event in pygame.event.get(pygame.KEYDOWN):
            received.append(("get-positional", event.type, event.key))
        for event in pygame.event.get(eventtype=[pygame.KEYUP]):
            received.append(("get-keyword", event.type, event.key))
        for event in pygame.event.get(exclude=pygame.TEXTINPUT):
            received.append(("get-exclude", event.type, getattr(event, "key", None)))
        while True:
            event = pygame.event.poll()
            polls += 1
            if event.type == pygame.NOEVENT:
                break
            received.append(("poll", event.type, getattr(event, "text", None)))
        screen.fill((0, 0, 0))
        pygame.display.flip()
        clock.tick(30)

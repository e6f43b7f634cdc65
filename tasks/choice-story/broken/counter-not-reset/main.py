"""Choice Story: a small choice-based story game with three endings (pygame)."""
import os
import sys

# No sound device is needed (or available): keep SDL away from audio.
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

WIDTH, HEIGHT = 800, 600
BACKGROUND = (250, 247, 238)
TEXT = (20, 24, 32)
BUTTON_FILL = (205, 225, 250)
BUTTON_BORDER = (30, 60, 110)

# Every scene: its lines of text and its choices (label, next scene).
SCENES = {
    "beach": {
        "lines": ["You wake up on a quiet beach at dusk.", "Where will you go?"],
        "choices": [("Climb the cliff", "cliff"),
                    ("Enter the forest", "forest"),
                    ("Walk along the shore", "harbor")],
    },
    "cliff": {
        "lines": ["A dark lighthouse stands on the cliff.", "Its lamp has gone out."],
        "choices": [("Light the lamp", "end-lighthouse"),
                    ("Go back down", "beach")],
    },
    "forest": {
        "lines": ["An old gate blocks the forest path.", "Roses grow behind it."],
        "choices": [("Open the gate", "end-garden"),
                    ("Turn back", "beach")],
    },
    "harbor": {
        "lines": ["A fisher offers you a ride.", "Her boat is ready to leave."],
        "choices": [("Sail away", "end-sea"),
                    ("Turn back", "beach")],
    },
}

ENDINGS = {
    "end-lighthouse": "The Lighthouse",
    "end-garden": "The Secret Garden",
    "end-sea": "The Open Sea",
}


class Game:
    def __init__(self):
        self.screen_name = "title"
        self.choices_made = 0
        self.buttons = []  # (rect, action) of the screen last drawn

    # --- state changes -------------------------------------------------
    def start(self):
        self.screen_name = "beach"

    def choose(self, index):
        scene = SCENES.get(self.screen_name)
        if scene is None or index >= len(scene["choices"]):
            return
        self.choices_made += 1
        self.screen_name = scene["choices"][index][1]

    def play_again(self):
        self.screen_name = "title"

    # --- drawing -------------------------------------------------------
    def draw(self, surface, fonts):
        big, normal = fonts
        surface.fill(BACKGROUND)
        self.buttons = []
        if self.screen_name == "title":
            self.center_text(surface, big, "Choice Story", 150)
            self.center_text(surface, normal, "A short adventure with three endings", 230)
            self.button(surface, normal, "Start", 300, 340, 200, ("start", 0))
        elif self.screen_name in SCENES:
            scene = SCENES[self.screen_name]
            y = 70
            for line in scene["lines"]:
                self.center_text(surface, normal, line, y)
                y += 48
            y = 230
            for i, (label, _next) in enumerate(scene["choices"]):
                self.button(surface, normal, label, 200, y, 400, ("choose", i))
                y += 90
            self.center_text(surface, normal, "Choices made: %d" % self.choices_made, 540)
        else:
            self.center_text(surface, big, "The End", 140)
            self.center_text(surface, normal, "Ending: " + ENDINGS[self.screen_name], 240)
            self.center_text(surface, normal, "Choices made: %d" % self.choices_made, 310)
            self.button(surface, normal, "Play again", 275, 400, 250, ("again", 0))

    def center_text(self, surface, font, text, y):
        image = font.render(text, True, TEXT, BACKGROUND)
        surface.blit(image, image.get_rect(center=(WIDTH // 2, y)))

    def button(self, surface, font, label, x, y, width, action):
        rect = pygame.Rect(x, y, width, 64)
        pygame.draw.rect(surface, BUTTON_FILL, rect)
        pygame.draw.rect(surface, BUTTON_BORDER, rect, 3)
        image = font.render(label, True, TEXT, BUTTON_FILL)
        surface.blit(image, image.get_rect(center=rect.center))
        self.buttons.append((rect, action))

    # --- input ---------------------------------------------------------
    def act(self, action):
        kind, index = action
        if kind == "start":
            self.start()
        elif kind == "choose":
            self.choose(index)
        elif kind == "again":
            self.play_again()

    def click(self, pos):
        for rect, action in self.buttons:
            if rect.collidepoint(pos):
                self.act(action)
                return

    def key(self, key):
        numbers = {pygame.K_1: 0, pygame.K_2: 1, pygame.K_3: 2,
                   pygame.K_KP1: 0, pygame.K_KP2: 1, pygame.K_KP3: 2}
        if key in numbers and self.screen_name in SCENES:
            self.choose(numbers[key])


def main():
    pygame.init()
    pygame.display.set_caption("Choice Story")
    surface = pygame.display.set_mode((WIDTH, HEIGHT))
    fonts = (pygame.font.Font(None, 64), pygame.font.Font(None, 36))
    clock = pygame.time.Clock()
    game = Game()
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                pygame.quit()
                return 0
            if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                game.click(event.pos)
            elif event.type == pygame.KEYDOWN:
                game.key(event.key)
        # The picture only changes on input, so redrawing it every frame is
        # harmless and keeps the window right after any expose.
        game.draw(surface, fonts)
        pygame.display.flip()
        clock.tick(30)


if __name__ == "__main__":
    sys.exit(main())

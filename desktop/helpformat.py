"""argparse help laid out by display width: a Chinese character takes two columns, and Chinese help text wraps."""
from __future__ import annotations

import argparse

from desktop.kernel.textwidth import display_width


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most `columns` columns; breaks at spaces, or between any two characters of Chinese text."""
    lines: list[str] = []
    line, used = "", 0
    for word in _pieces(" ".join(text.split())):
        size = display_width(word)
        if used and used + size > columns:
            lines.append(line.rstrip())
            line, used = word.lstrip(), display_width(word.lstrip())
        else:
            line, used = line + word, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _pieces(text: str) -> list[str]:
    """A wide character is a piece of its own; a run of narrow ones (a word with its leading space) is one piece.
    Closing punctuation stays with the character before it (no line starts with ，or ）)."""
    pieces: list[str] = []
    for char in text:
        wide = display_width(char) == 2
        if pieces and (char in "，。、；：）》”’！？" or (not wide and char != " " and display_width(pieces[-1][-1]) == 1)):
            pieces[-1] += char
        else:
            pieces.append(char)
    return pieces


class ChineseHelpFormatter(argparse.HelpFormatter):
    """HelpFormatter whose columns line up and whose help wraps when options, values and help are Chinese."""

    def add_argument(self, action):
        if action.help is not argparse.SUPPRESS:
            invocations = [self._format_action_invocation(action)]
            invocations += [self._format_action_invocation(s) for s in self._iter_indented_subactions(action)]
            longest = max(map(display_width, invocations)) + self._current_indent
            self._action_max_length = max(self._action_max_length, longest)
            self._add_item(self._format_action, [action])

    def _format_action(self, action):
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent_first = help_position
        if not action.help:
            header = f"{' ' * self._current_indent}{header}\n"
        elif display_width(header) <= action_width:
            header = f"{' ' * self._current_indent}{header}{' ' * (action_width - display_width(header))}  "
            indent_first = 0
        else:
            header = f"{' ' * self._current_indent}{header}\n"
        parts = [header]
        if action.help and action.help.strip():
            lines = self._split_lines(self._expand_help(action), help_width)
            parts.append(f"{' ' * indent_first}{lines[0]}\n")
            parts += [f"{' ' * help_position}{line}\n" for line in lines[1:]]
        elif not header.endswith("\n"):
            parts.append("\n")
        parts += [self._format_action(sub) for sub in self._iter_indented_subactions(action)]
        return self._join_parts(parts)

    def _format_usage(self, usage, actions, groups, prefix):
        """argparse wraps usage by characters: narrow the width it sees until the lines fit the terminal."""
        columns = self._width
        try:
            for _ in range(4):
                text = super()._format_usage(usage, actions, groups, prefix)
                over = max(map(display_width, text.splitlines() or [""])) - columns
                if over <= 0 or self._width - over < 40:
                    return text
                self._width -= over
            return text
        finally:
            self._width = columns

    def _split_lines(self, text, columns):
        return wrap(text, columns)

    def _fill_text(self, text, columns, indent):
        return "\n".join(indent + line for line in wrap(text, columns))

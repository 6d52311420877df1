"""Click's and Typer's built-in words ("Usage", "Options", "Show this message and exit.") in Bahasa.

Click and Typer ask ``gettext`` for these strings when they render help and errors, but ship
no Indonesian catalogue. :func:`install` gives their modules a lookup that answers from the
table below and falls back to gettext, and sets Typer's panel titles, so ``netra --help`` and
``netra X --bad`` read in Bahasa Indonesia like the rest of the CLI (issue 14).
"""

from __future__ import annotations

import gettext
import re

#: Click's and Typer's message ids (click 8.x, typer 0.x) and their Indonesian wording.
MESSAGES = {
    "Show this message and exit.": "Tampilkan bantuan ini lalu keluar.",
    "Usage:": "Penggunaan:",
    "Options": "Opsi",
    "Commands": "Perintah",
    "Arguments": "Argumen",
    "Positional arguments": "Argumen",
    "Error": "Galat",
    "Error: {message}": "Galat: {message}",
    "Try '{command} {option}' for help.": "Coba '{command} {option}' untuk bantuan.",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "Coba [blue]'{command_path} {help_option}'[/] untuk bantuan.",
    "Invalid value: {message}": "Nilai tidak sah: {message}",
    "Invalid value for {param_hint}: {message}": "Nilai tidak sah untuk {param_hint}: {message}",
    "Missing argument": "Argumen belum diisi",
    "Missing option": "Opsi belum diisi",
    "Missing parameter": "Parameter belum diisi",
    "Missing command.": "Perintah belum diberikan.",
    "No such option {name!r}.": "Tidak ada opsi {name!r}.",
    "No such option: {name}": "Tidak ada opsi: {name}",
    "No such command {name!r}.": "Tidak ada perintah {name!r}.",
    "Got unexpected extra argument ({args})": "Argumen tambahan tak terduga ({args})",
    "Option {name!r} does not take a value.": "Opsi {name!r} tidak menerima nilai.",
    "Option {name!r} requires an argument.": "Opsi {name!r} memerlukan nilai.",
    "Aborted!": "Dibatalkan.",
    "Aborted.": "Dibatalkan.",
    "[default: {}]": "[bawaan: {}]",
    "default: {default}": "bawaan: {default}",
    "[required]": "[wajib]",
    "required": "wajib",
    "env var: {var}": "variabel lingkungan: {var}",
    "[env var: {}]": "[variabel lingkungan: {}]",
    "(deprecated) ": "(usang) ",
    "{value!r} is not a valid {number_type}.": "{value!r} bukan {number_type} yang sah.",
    "{value} is not in the range {range}.": "{value} di luar rentang {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} tidak ada.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} adalah folder.",
    "{name} {filename!r} is a file.": "{name} {filename!r} adalah berkas.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} tidak dapat dibaca.",
    "file": "berkas", "directory": "folder", "path": "lokasi",
    "integer": "bilangan bulat", "float": "bilangan",
    "Choose from:\n\t{choices}": "Pilih dari:\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} bukan {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} bukan salah satu dari {choices}.",
}

#: Placeholders of the usage line ("netra [OPTIONS] COMMAND [ARGS]...").
USAGE_WORDS = {"[OPTIONS]": "[OPSI]", "COMMAND [ARGS]...": "PERINTAH [ARGUMEN]..."}

#: Typer's panel titles are read once at import; set them again here.
_TYPER_TITLES = {"ARGUMENTS_PANEL_TITLE": "Arguments", "OPTIONS_PANEL_TITLE": "Options",
                 "COMMANDS_PANEL_TITLE": "Commands", "ERRORS_PANEL_TITLE": "Error", "ABORTED_TEXT": "Aborted.",
                 "DEFAULT_STRING": "[default: {}]", "REQUIRED_LONG_STRING": "[required]",
                 "ENVVAR_STRING": "[env var: {}]", "DEPRECATED_STRING": "(deprecated) ",
                 "RICH_HELP": "Try [blue]'{command_path} {help_option}'[/] for help."}


def translate(message: str) -> str:
    """The Indonesian wording of a Click/Typer message, or gettext's answer when we have none."""
    return MESSAGES.get(message) or gettext.gettext(message)


#: Error messages that Typer's bundled Click builds with f-strings: (English pattern, Bahasa).
ERROR_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(a), b) for a, b in (
    (r"^No such option: (.*)", r"Tidak ada opsi: \1"),
    (r"^No such command (.*)\.", r"Tidak ada perintah \1."),
    (r"^Got unexpected extra arguments? \((.*)\)", r"Argumen tambahan tak terduga (\1)"),
    (r"^Got unexpected extra argument\(s\) \((.*)\)", r"Argumen tambahan tak terduga (\1)"),
    (r"^Invalid value for (.*?): (.*)", r"Nilai tidak sah untuk \1: \2"),
    (r"^Invalid value: (.*)", r"Nilai tidak sah: \1"),
    (r"^Missing argument (.*)", r"Argumen belum diisi: \1"),
    (r"^Missing option (.*)", r"Opsi belum diisi: \1"),
    (r"^Missing parameter(.*)", r"Parameter belum diisi\1"),
    (r"^Missing command\.", r"Perintah belum diberikan."),
    (r"Did you mean (.*)\?", r"Mungkin maksud Anda \1?"),
    (r"Value (.*) is not a valid (.*)\.", r"Nilai \1 bukan \2 yang sah."),
    (r"(.*) is not one of (.*)\.", r"\1 bukan salah satu dari \2."),
    (r"(.*) is not in the range (.*)\.", r"\1 di luar rentang \2."),
    (r"^Option (.*) requires an argument\.", r"Opsi \1 memerlukan nilai."),
    (r"does not exist\.", r"tidak ada."),
))


def translate_error(message: str) -> str:
    """An error message of Typer's Click in Bahasa, pattern by pattern; unknown text unchanged."""
    for pattern, replacement in ERROR_PATTERNS:
        message = pattern.sub(replacement, message)
    return message


def install() -> None:
    """Give Typer's help and errors Bahasa words (idempotent).

    Typer 0.2x bundles its own copy of Click (``typer._click``) with plain English strings, so
    the usage prefix, the --help option's text and error messages are wrapped at the few points
    that produce them; the standalone Click (gettext) is pointed at :func:`translate` as well.
    """
    import typer.rich_utils

    for name, message in _TYPER_TITLES.items():
        if hasattr(typer.rich_utils, name):
            setattr(typer.rich_utils, name, MESSAGES[message])
    typer.rich_utils.OptionHighlighter.highlights = [
        h.replace("Usage: ", "Penggunaan: ") for h in typer.rich_utils.OptionHighlighter.highlights]
    try:
        from typer._click import decorators, exceptions, formatting
    except ImportError:  # an older Typer on the standalone Click: gettext is enough there
        decorators = exceptions = formatting = None
    if decorators is not None and not getattr(decorators.help_option, "_netra", False):
        _wrap_help_option(decorators)
        _wrap_usage(formatting)
        _wrap_errors(exceptions)
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting

    for module in (click.core, click.decorators, click.exceptions, click.formatting):
        if hasattr(module, "_"):
            module._ = translate


def _wrap_help_option(decorators) -> None:
    original = decorators.help_option

    def help_option(param_decls):
        decorate = original(param_decls)

        def apply(command):
            result = decorate(command)
            command.params[-1].help = MESSAGES["Show this message and exit."]
            return result

        return apply

    help_option._netra = True
    decorators.help_option = help_option


def _wrap_usage(formatting) -> None:
    original = formatting.HelpFormatter.write_usage

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, bahasa in USAGE_WORDS.items():
            args = args.replace(english, bahasa)
        return original(self, prog, args, "Penggunaan: " if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage


def _wrap_errors(exceptions) -> None:
    """Every exception class that words its own message gets its output translated."""
    for value in list(vars(exceptions).values()):
        if isinstance(value, type) and issubclass(value, exceptions.ClickException) \
                and "format_message" in value.__dict__:
            value.format_message = _translated(value.__dict__["format_message"])


def _translated(original):
    def format_message(self) -> str:
        return translate_error(original(self))

    return format_message

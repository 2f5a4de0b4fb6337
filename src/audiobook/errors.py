"""Typed errors. Only the CLI turns them into exit codes; messages say what, why, what to do."""


class AudiobookError(Exception):
    """Base of every error the tool reports to the user."""


class InputError(AudiobookError):
    """The source text or book.toml cannot be used."""


class EngineError(AudiobookError):
    """A speech engine is unusable or failed for a chunk."""


class AudioError(AudiobookError):
    """ffmpeg/ffprobe failed or produced something unexpected."""


class Interrupted(AudiobookError):
    """The user stopped the build (Ctrl-C); what was finished is cached."""

    exit_code = 130  # 128 + SIGINT, as shells report it

"""Every exception voicebot raises on purpose derives from :class:`VoicebotError`.

The tree (``retryable`` says whether trying the same thing later can succeed)::

    VoicebotError
    ├── ConfigError            bad settings file / value (names the file and key)     no
    ├── InputError             bad user input: profile, CSV, CLI argument (file:line)  no
    ├── AmiError               Asterisk Manager Interface problems
    │   ├── AmiNotConnected    not (yet) connected / logged in                         yes
    │   ├── AmiAuthError       login refused: wrong username/secret                    no
    │   └── AmiActionError     Asterisk answered an action with an error               no
    ├── DialError              an originate could not be placed or tracked             yes
    ├── ProtocolError          a peer broke the AudioSocket wire protocol              no
    ├── StoreError             the SQLite store failed or is at an unknown version    no
    └── SpeechError            a model is missing or failed                            no
        └── SpeechBusy         a speech worker's queue is full (back-pressure)         yes
"""

from __future__ import annotations


class VoicebotError(Exception):
    """Root of voicebot's exceptions."""

    retryable: bool = False


class ConfigError(VoicebotError):
    """A settings file or value is invalid. The message names the file and the key."""


class InputError(VoicebotError):
    """User-supplied input (profile, candidate CSV, CLI argument) is invalid."""


class AmiError(VoicebotError):
    """Something went wrong talking to Asterisk's manager interface."""


class AmiNotConnected(AmiError):
    """AMI is not connected or not logged in right now; it reconnects by itself."""

    retryable = True


class AmiAuthError(AmiError):
    """Asterisk refused the AMI login (username/secret)."""


class AmiActionError(AmiError):
    """Asterisk answered an action with ``Response: Error``."""


class DialError(VoicebotError):
    """An originate could not be placed or its outcome could not be tracked."""

    retryable = True


class ProtocolError(VoicebotError):
    """A peer violated the AudioSocket protocol."""


class StoreError(VoicebotError):
    """The SQLite store failed, or its schema is newer than this code."""


class SpeechError(VoicebotError):
    """A speech model is missing, unreadable or failed."""


class SpeechBusy(SpeechError):
    """A speech worker (synthesis, transcription) has no free slot right now."""

    retryable = True

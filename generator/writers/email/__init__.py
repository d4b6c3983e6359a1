"""The e-mail writer: the document model -> a message with a plain-text and an HTML part."""

from .message import MailOptions, message
from .writer import EmailWriter

__all__ = ["EmailWriter", "MailOptions", "message"]

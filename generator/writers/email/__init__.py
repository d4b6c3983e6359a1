"""The e-mail writer: the document model -> a message with a plain-text and an HTML part."""

from .message import Attachment, MailOptions, message
from .writer import EmailWriter

__all__ = ["Attachment", "EmailWriter", "MailOptions", "message"]

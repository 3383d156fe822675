"""The gazette's one public door: what other domains may call, and nothing else.

Other domains that take user-written or editor-written Markdown (the knowledge base's answers,
replies to letters) render it through the gazette's sanitiser, so there is one HTML policy.
They also search their own tables with the gazette's Chinese search machinery
(:mod:`bulletin.textsearch`: one set of tokens and one query language), check and name links to
documents by id, and recognise uploaded images (JPG, PNG) by their bytes, as attachments are.
"""

from __future__ import annotations

from bulletin.filetypes import JPEG, PNG, detect
from bulletin.html import body_to_html, markdown_to_html, plain_text, sanitize_html
from bulletin.service_reading import documents_for_feeds as documents_by_id
from bulletin.textsearch import PG_SEARCH_SETTINGS, TextMatch, highlight, index_text, match

__all__ = ["JPEG", "PG_SEARCH_SETTINGS", "PNG", "TextMatch", "body_to_html", "detect", "documents_by_id",
           "highlight", "index_text", "markdown_to_html", "match", "plain_text", "sanitize_html"]

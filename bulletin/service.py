"""The gazette's one public door: what other domains may call, and nothing else.

Other domains that take user-written or editor-written Markdown (the knowledge base's answers,
replies to letters) render it through the gazette's sanitiser, so there is one HTML policy.
"""

from __future__ import annotations

from bulletin.html import body_to_html, markdown_to_html, plain_text, sanitize_html

__all__ = ["body_to_html", "markdown_to_html", "plain_text", "sanitize_html"]

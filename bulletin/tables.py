"""Tortoise models of the gazette (公报): agencies, issues, documents and what hangs off them.

Only published documents have a row in ``gazette_search``, the narrow search projection;
its full-text columns (PostgreSQL tsvectors, or the SQLite FTS5 table fed by triggers from
the token columns) are created by the migrations with raw SQL.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Agency(Model):
    """An issuing agency (发布机构), e.g. 罗湖区发展和改革局, whose code never changes."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=64, unique=True)
    sort_order = fields.IntField(default=1000)
    created_at = fields.DatetimeField()

    class Meta:
        table = "gazette_agencies"


class Issue(Model):
    """One issue of the gazette: 2024年第3期 (总第150期)."""

    id = fields.IntField(primary_key=True)
    year = fields.IntField()
    number = fields.IntField()
    total_number = fields.IntField(unique=True)
    title = fields.CharField(max_length=200)
    published_on = fields.DateField()
    sections = fields.JSONField(default=list)  # section names in table-of-contents order
    created_at = fields.DatetimeField()

    class Meta:
        table = "gazette_issues"
        unique_together = (("year", "number"),)


class Document(Model):
    """A gazette document or a policy interpretation (政策解读), in any status."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=16, default="document")  # document | interpretation
    title = fields.CharField(max_length=300)
    doc_number = fields.CharField(max_length=64, null=True)
    doc_number_norm = fields.CharField(max_length=64, null=True, db_index=True)
    index_number = fields.CharField(max_length=64, null=True, unique=True)
    # No endpoint deletes agencies; CASCADE (not RESTRICT) lets a test database be emptied table by table.
    agency = fields.ForeignKeyField("bulletin.Agency", related_name="documents", on_delete=fields.CASCADE)
    topic = fields.CharField(max_length=32, null=True)
    doc_type = fields.CharField(max_length=16, null=True)
    disclosure = fields.CharField(max_length=16, null=True)
    validity = fields.CharField(max_length=16, default="valid")
    effective_from = fields.DateField(null=True)
    effective_to = fields.DateField(null=True)
    written_on = fields.DateField(null=True)
    published_on = fields.DateField(null=True)
    summary = fields.TextField(default="")
    body = fields.TextField(default="")
    body_format = fields.CharField(max_length=16, default="markdown")
    body_html = fields.TextField(default="")
    body_text = fields.TextField(default="")
    status = fields.CharField(max_length=16, default="draft")
    issue = fields.ForeignKeyField("bulletin.Issue", related_name="documents", null=True,
                                   on_delete=fields.SET_NULL)
    section = fields.CharField(max_length=64, null=True)
    issue_order = fields.IntField(default=0)
    services = fields.JSONField(default=list)  # appointments service item ids
    pois = fields.JSONField(default=list)  # geo POI ids
    published_at = fields.DatetimeField(null=True)
    corrected_at = fields.DatetimeField(null=True)  # the last correction after publication (勘误)
    withdrawn_at = fields.DatetimeField(null=True)
    withdrawn_reason = fields.CharField(max_length=500, null=True)
    created_by = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "gazette_documents"
        indexes = (("status", "published_on"), ("issue_id", "issue_order"))


class DocumentTag(Model):
    """What a document concerns, for feeds: a division code, an industry section or a size."""

    id = fields.IntField(primary_key=True)
    document = fields.ForeignKeyField("bulletin.Document", related_name="tags", on_delete=fields.CASCADE)
    kind = fields.CharField(max_length=16)  # division | industry | size
    value = fields.CharField(max_length=32)

    class Meta:
        table = "gazette_document_tags"
        unique_together = (("document", "kind", "value"),)
        indexes = (("kind", "value"),)


class InterpretationLink(Model):
    """An interpretation (政策解读) covering a document, many-to-many both ways."""

    id = fields.IntField(primary_key=True)
    document = fields.ForeignKeyField("bulletin.Document", related_name="interpretation_links",
                                      on_delete=fields.CASCADE)
    interpretation = fields.ForeignKeyField("bulletin.Document", related_name="interpreted_links",
                                            on_delete=fields.CASCADE)

    class Meta:
        table = "gazette_interpretation_links"
        unique_together = (("document", "interpretation"),)


class Attachment(Model):
    """A file attached to a document, stored under var/attachments by its SHA-256."""

    id = fields.IntField(primary_key=True)
    document = fields.ForeignKeyField("bulletin.Document", related_name="attachments",
                                      on_delete=fields.CASCADE)
    filename = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    created_at = fields.DatetimeField()

    class Meta:
        table = "gazette_attachments"


class SearchRow(Model):
    """Search projection of one published document: only what the engines index.

    The token columns feed the FTS5 table on SQLite; PostgreSQL leaves them empty and keeps
    tsvector columns (added by migration) out of line, so its rows stay narrow and a scan of
    tens of thousands of matches touches few pages. Facet columns live on the document.
    """

    document_id = fields.IntField(primary_key=True, generated=False)
    title_tokens = fields.TextField(null=True)
    head_tokens = fields.TextField(null=True)
    body_tokens = fields.TextField(null=True)

    class Meta:
        table = "gazette_search"


class SearchState(Model):
    """One row: a random token replaced by every change to the search projection (its version)."""

    id = fields.IntField(primary_key=True, generated=False)
    token = fields.CharField(max_length=32)

    class Meta:
        table = "gazette_search_state"


class Favorite(Model):
    """A favourite (收藏) document of a resident."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("server.User", related_name="gazette_favorites", on_delete=fields.CASCADE)
    document = fields.ForeignKeyField("bulletin.Document", related_name="favorites", on_delete=fields.CASCADE)
    created_at = fields.DatetimeField()

    class Meta:
        table = "gazette_favorites"
        unique_together = (("user", "document"),)


class Reading(Model):
    """One reading history entry of a resident: when they last read a document and how far."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("server.User", related_name="gazette_readings", on_delete=fields.CASCADE)
    document = fields.ForeignKeyField("bulletin.Document", related_name="readings", on_delete=fields.CASCADE)
    position = fields.FloatField(default=0.0)
    first_read_at = fields.DatetimeField()
    last_read_at = fields.DatetimeField()

    class Meta:
        table = "gazette_readings"
        unique_together = (("user", "document"),)
        indexes = (("user_id", "last_read_at"),)

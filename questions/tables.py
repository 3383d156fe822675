"""Tortoise models of asking the district: categories, departments, 一号答 entries, asks; letters."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Category(Model):
    """One of the question categories (a seeded, editable vocabulary): stable code, Chinese label."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    label = fields.CharField(max_length=32)
    position = fields.IntField(default=0)
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "questions_categories"


class Department(Model):
    """A department that answers: its reply deadline and what the dispatcher's suggestion matches."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=64)
    reply_days = fields.IntField(default=5)  # working days
    categories = fields.JSONField(default=list)  # category codes it usually answers
    divisions = fields.JSONField(default=list)  # division codes it covers (empty: the whole district)
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "questions_departments"


class DepartmentMember(Model):
    """An account answering for a department (role answerer), the head gets escalations."""

    id = fields.IntField(primary_key=True)
    department = fields.ForeignKeyField("questions.Department", related_name="members", on_delete=fields.CASCADE)
    user = fields.ForeignKeyField("server.User", related_name="departments", on_delete=fields.CASCADE)
    is_head = fields.BooleanField(default=False)

    class Meta:
        table = "questions_department_members"
        unique_together = (("department", "user"),)


class Entry(Model):
    """A 一号答 knowledge-base entry: a question and its answer (Markdown source, sanitised HTML)."""

    id = fields.IntField(primary_key=True)
    question = fields.CharField(max_length=200)
    answer = fields.TextField()
    answer_html = fields.TextField()
    answer_text = fields.TextField()
    category = fields.CharField(max_length=32, db_index=True)
    department = fields.ForeignKeyField("questions.Department", related_name="entries", null=True,
                                        on_delete=fields.SET_NULL)
    services = fields.JSONField(default=list)  # appointments service item ids
    halls = fields.JSONField(default=list)  # appointments hall ids
    pois = fields.JSONField(default=list)  # geo POI ids
    documents = fields.JSONField(default=list)  # gazette document ids
    valid_from = fields.DateField(null=True)
    valid_until = fields.DateField(null=True)
    status = fields.CharField(max_length=16, default="draft", db_index=True)
    views = fields.IntField(default=0)
    solved = fields.IntField(default=0)
    not_solved = fields.IntField(default=0)
    source_letter_id = fields.IntField(null=True, unique=True)
    created_by = fields.IntField(null=True)
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "questions_entries"


class EntrySearch(Model):
    """Search projection of a published entry: token columns feed SQLite's FTS5 table, PostgreSQL
    keeps tsvector columns (added by migration 0002) and leaves these empty."""

    entry_id = fields.IntField(primary_key=True, generated=False)
    question_tokens = fields.TextField(null=True)
    answer_tokens = fields.TextField(null=True)

    class Meta:
        table = "questions_entry_search"


class Ask(Model):
    """One question a resident asked: solved by an entry, not solved, or written as a letter."""

    id = fields.BigIntField(primary_key=True)
    entry_id = fields.IntField(null=True)
    category = fields.CharField(max_length=32, null=True)
    outcome = fields.CharField(max_length=16)  # solved | not_solved | letter
    user_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "questions_asks"


class Column(Model):
    """A letter column residents write to (书记信箱, 区长信箱, ...), configurable by admins."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=32)
    description = fields.TextField(default="")
    kind = fields.CharField(max_length=16, default="letter")  # letter | proposal (人民建议)
    position = fields.IntField(default=0)
    is_active = fields.BooleanField(default=True)

    class Meta:
        table = "questions_columns"


class Campaign(Model):
    """A 人民建议 campaign: residents submit suggestions to it between its dates."""

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=100)
    description = fields.TextField(default="")
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "questions_campaigns"


class Photo(Model):
    """An image a resident attached to a letter (checked by WeChat, kept by its SHA-256)."""

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    letter_id = fields.IntField(null=True, db_index=True)
    sha256 = fields.CharField(max_length=64)
    content_type = fields.CharField(max_length=32)
    size = fields.IntField()
    check = fields.CharField(max_length=16, default="passed")  # passed | held
    created_at = fields.DatetimeField()

    class Meta:
        table = "questions_photos"


class Letter(Model):
    """A resident's letter to the district and where it stands (see questions/model.py for its life)."""

    id = fields.IntField(primary_key=True)
    # Columns are hidden (is_active), never deleted by the API.
    column = fields.ForeignKeyField("questions.Column", related_name="letters", on_delete=fields.CASCADE)
    user_id = fields.IntField(null=True, db_index=True)
    title = fields.CharField(max_length=100)
    body = fields.TextField()
    category = fields.CharField(max_length=32, null=True)
    lon = fields.FloatField(null=True)  # WGS-84
    lat = fields.FloatField(null=True)
    division = fields.CharField(max_length=12, null=True)
    publish_consent = fields.BooleanField(default=False)
    phone_enc = fields.TextField(null=True)
    phone_hash = fields.CharField(max_length=64, null=True, db_index=True)
    status = fields.CharField(max_length=16, db_index=True)  # held|rejected|received|assigned|replied|closed
    department_id = fields.IntField(null=True, db_index=True)
    suggested_department_id = fields.IntField(null=True)
    due_on = fields.DateField(null=True)
    reply = fields.TextField(null=True)
    replied_at = fields.DatetimeField(null=True)
    rating = fields.CharField(max_length=24, null=True)
    reopens = fields.IntField(default=0)
    closed_at = fields.DatetimeField(null=True)
    overdue_at = fields.DatetimeField(null=True)
    escalated_to = fields.JSONField(null=True)  # user ids of the department heads told
    published_at = fields.DatetimeField(null=True)
    public_title = fields.CharField(max_length=100, null=True)  # personal data removed
    public_body = fields.TextField(null=True)
    campaign_id = fields.IntField(null=True, db_index=True)
    adopted_at = fields.DatetimeField(null=True)
    adoption_note = fields.TextField(null=True)
    created_at = fields.DatetimeField(db_index=True)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "questions_letters"


class LetterStep(Model):
    """One step in a letter's life, shown to the resident as its timeline."""

    id = fields.BigIntField(primary_key=True)
    letter = fields.ForeignKeyField("questions.Letter", related_name="steps", on_delete=fields.CASCADE)
    kind = fields.CharField(max_length=16)
    actor_id = fields.IntField(null=True)
    department_id = fields.IntField(null=True)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "questions_letter_steps"

"""Errors of asking the district: each a class with a stable code, a status and a Chinese message."""

from __future__ import annotations

from server.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed


class EntryNotFound(NotFound):
    code = "entry_not_found"
    message = "该问答不存在"


class CategoryNotFound(NotFound):
    code = "category_not_found"
    message = "该分类不存在"


class UnknownCategory(ValidationFailed):
    code = "unknown_category"
    message = "没有这个问答分类"


class CategoryExists(Conflict):
    code = "category_exists"
    message = "该分类已存在"


class DepartmentNotFound(NotFound):
    code = "department_not_found"
    message = "该部门不存在"


class UnknownDepartment(ValidationFailed):
    code = "unknown_department"
    message = "没有这个部门"


class DepartmentExists(Conflict):
    code = "department_exists"
    message = "该部门已存在"


class OutsideDepartment(Forbidden):
    code = "outside_department"
    message = "无权处理其他部门的事项"


class StatusConflict(Conflict):
    code = "status_conflict"
    message = "当前状态不允许此操作"


class ColumnNotFound(NotFound):
    code = "column_not_found"
    message = "该信箱栏目不存在"


class UnknownColumn(ValidationFailed):
    code = "unknown_column"
    message = "没有这个信箱栏目"


class ColumnExists(Conflict):
    code = "column_exists"
    message = "该信箱栏目已存在"


class LetterNotFound(NotFound):
    code = "letter_not_found"
    message = "该留言不存在"


class ContentRejected(DomainError):
    status = 422
    code = "content_rejected"
    message = "内容含有违规信息，请修改后再提交"


class PhoneRequired(ValidationFailed):
    code = "phone_required"
    message = "请填写联系电话或先绑定微信手机号"


class PhotoNotFound(ValidationFailed):
    code = "photo_not_found"
    message = "照片不存在或已被使用"


class PhotoMissing(ValidationFailed):
    code = "photo_missing"
    message = "请选择要上传的照片（表单字段 file）"


class PhotoRefused(DomainError):
    status = 415
    code = "photo_type_refused"
    message = "只能上传 JPG 或 PNG 格式的照片"


class PhotoTooLarge(DomainError):
    status = 413
    code = "photo_too_large"
    message = "照片过大"


class CampaignNotFound(NotFound):
    code = "campaign_not_found"
    message = "该征集活动不存在"


class CampaignClosed(Conflict):
    code = "campaign_closed"
    message = "该征集活动不在征集期内"


class UnknownDivision(ValidationFailed):
    code = "unknown_division"
    message = "没有这个行政区划"


class AlreadyPublished(Conflict):
    code = "already_in_knowledge_base"
    message = "该答复已转为问答"


class NotPublishable(Conflict):
    code = "not_publishable"
    message = "留言人未同意公开或尚未答复，不能公开"

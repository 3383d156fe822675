"""Errors of the gazette, each with a stable code and a Chinese message."""

from __future__ import annotations

from server import errors
from server.paging import InvalidCursor as InvalidCursor  # one cursor error for every listing


class DocumentNotFound(errors.NotFound):
    code = "document_not_found"
    message = "文件不存在或尚未发布"


class IssueNotFound(errors.NotFound):
    code = "issue_not_found"
    message = "该期公报不存在"


class AttachmentNotFound(errors.NotFound):
    code = "attachment_not_found"
    message = "附件不存在"


class UnknownAgency(errors.ValidationFailed):
    code = "unknown_agency"
    message = "发布机构不存在"


class UnknownIssue(errors.ValidationFailed):
    code = "unknown_issue"
    message = "所属公报期次不存在"


class NotAnInterpretation(errors.ValidationFailed):
    code = "not_an_interpretation"
    message = "只能关联政策解读，且解读不能再关联解读"


class AgencyExists(errors.Conflict):
    code = "agency_exists"
    message = "发布机构的代码或名称已存在"


class IssueExists(errors.Conflict):
    code = "issue_exists"
    message = "该期公报已存在（年份与期号或总期号重复）"


class IndexNumberTaken(errors.Conflict):
    code = "index_number_taken"
    message = "索引号已被其他文件使用"


class StatusConflict(errors.Conflict):
    code = "document_status_conflict"
    message = "文件当前状态不允许此操作"


class AttachmentTooLarge(errors.PayloadTooLarge):
    code = "attachment_too_large"
    message = "附件不能超过 20 MB"


class AttachmentTypeRefused(errors.UnsupportedMediaType):
    code = "attachment_type_refused"
    message = "附件只能是 PDF、DOCX、XLSX、OFD、JPG 或 PNG 文件"


class AttachmentMissing(errors.ValidationFailed):
    code = "attachment_missing"
    message = "请以 multipart/form-data 的 file 字段上传附件"


class MiniProgramCodeUnavailable(errors.ServiceUnavailable):
    code = "wxacode_unavailable"
    message = "小程序码暂时无法生成，请稍后再试"


class UnknownRelated(errors.ValidationFailed):
    code = "unknown_related_item"
    message = "关联的办事事项或地图地点不存在"

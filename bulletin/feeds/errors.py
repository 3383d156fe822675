"""Errors of subscriptions, feeds, notices and enterprises, each with a stable code and a Chinese message."""

from __future__ import annotations

from server import errors
from server.paging import InvalidCursor as InvalidCursor  # one cursor error for every listing


class SubscriptionNotFound(errors.NotFound):
    code = "subscription_not_found"
    message = "订阅不存在"


class TooManySubscriptions(errors.Conflict):
    code = "too_many_subscriptions"
    message = "每个账号最多 20 个订阅，请先删除不需要的订阅"


class BadCriteria(errors.ValidationFailed):
    """422 naming the criterion: details.fields[0].field is e.g. ``criteria.topics``."""

    code = "invalid_criteria"
    message = "订阅条件有误"


class NoticeNotFound(errors.NotFound):
    code = "notice_not_found"
    message = "公告不存在"


class NoticeWithdrawn(errors.Conflict):
    code = "notice_withdrawn"
    message = "公告已撤回"


class UnknownHall(errors.ValidationFailed):
    code = "unknown_hall"
    message = "服务大厅不存在"


class HallRequired(errors.ValidationFailed):
    code = "hall_required"
    message = "大厅工作人员发布公告须指明所属大厅"


class EnterpriseNotFound(errors.NotFound):
    code = "enterprise_not_found"
    message = "企业不存在"


class CreditCodeTaken(errors.Conflict):
    code = "credit_code_registered"
    message = "该统一社会信用代码已登记"


class TooManyPendingRegistrations(errors.Conflict):
    code = "too_many_pending_registrations"
    message = "每个账号最多同时有 3 个待审核的企业登记，请等待审核结果后再登记"


class EnterpriseStatusConflict(errors.Conflict):
    code = "enterprise_status_conflict"
    message = "企业当前状态不允许此操作"


class NotEnterpriseOwner(errors.Forbidden):
    code = "not_enterprise_owner"
    message = "只有企业管理员可以进行此操作"


class InvitationInvalid(errors.NotFound):
    code = "invitation_invalid"
    message = "邀请码无效、已使用或已过期"


class AlreadyMember(errors.Conflict):
    code = "already_member"
    message = "您已是该企业成员"


class OwnerCannotLeave(errors.Conflict):
    code = "owner_cannot_leave"
    message = "企业管理员不能退出企业"


class InvalidPersonalData(errors.ValidationFailed):
    """A credit code or phone number that fails its checksum or format (code from server.pii)."""

    code = "invalid_personal_data"
    message = "证件号码或电话号码格式不正确"

"""Errors of hall booking: a stable English code, an HTTP status and a Chinese message each."""

from __future__ import annotations

from server import errors, pii
from server.errors import Conflict, Forbidden, NotFound, ValidationFailed


class HallNotFound(NotFound):
    code = "hall_not_found"
    message = "服务大厅不存在"


class ServiceNotFound(NotFound):
    code = "service_not_found"
    message = "办理事项不存在"


class SlotNotFound(NotFound):
    code = "slot_not_found"
    message = "预约时段不存在"


class BookingNotFound(NotFound):
    code = "booking_not_found"
    message = "预约不存在"


class TicketNotFound(NotFound):
    code = "ticket_not_found"
    message = "排队号不存在"


class RatingNotFound(NotFound):
    code = "rating_not_found"
    message = "评价不存在"


class HallForbidden(Forbidden):
    code = "forbidden"
    message = "无权管理该服务大厅"


class CalendarChanged(Conflict):
    code = "calendar_changed"
    message = "该日已被他人修改，请刷新页面后重试"


class SlotFull(Conflict):
    code = "slot_full"
    message = "该时段已约满，请选择其他时段"


class SlotClosed(Conflict):
    code = "slot_closed"
    message = "该时段已停止预约"


class OutsideBookingWindow(Conflict):
    code = "outside_booking_window"
    message = "该日期不在可预约范围内"


class SlotStarted(Conflict):
    code = "slot_started"
    message = "该时段已开始，不能再预约"


class DuplicateBooking(Conflict):
    code = "duplicate_booking"
    message = "该证件当天在本大厅已有预约"


class QuotaExceeded(Conflict):
    code = "quota_exceeded"
    message = "该证件预约次数已达上限"


class AccountRuleBreached(Conflict):
    """Anti-scalping (黄牛): `details` name the rule and its limit, and until when it holds (or the day)."""

    template = "{limit}"

    def __init__(self, *, rule: str, limit: int, **when: str) -> None:
        super().__init__(self.template.format(limit=limit), rule=rule, limit=limit, **when)


class TooManyBookings(AccountRuleBreached):
    code = "too_many_bookings"
    message = "本账号当天在该大厅的有效预约已达上限"
    template = "本账号当天在该大厅已有{limit}个有效预约，不能再预约"


class TooManyPersons(AccountRuleBreached):
    code = "too_many_persons"
    message = "本账号本月预约的证件数已达上限"
    template = "本账号本月已为{limit}位不同证件的办事人预约，达到上限"


class TooManyAccounts(AccountRuleBreached):
    code = "too_many_accounts"
    message = "该证件本月已在多个账号预约，不能再从其他账号预约"
    template = "该证件本月已从{limit}个账号预约，不能再从其他账号预约"


class BookingBlocked(Forbidden):
    code = "booking_blocked"
    message = "因多次爽约，该证件暂停预约"


class InvalidIdNumber(ValidationFailed):
    code = "invalid_id_number"
    message = "身份证号码无效"


class InvalidPhone(ValidationFailed):
    code = "invalid_phone"
    message = "手机号码无效"


class IdempotencyKeyReused(ValidationFailed):
    code = "idempotency_key_reused"
    message = "该幂等键已用于另一笔不同的预约"


class ServiceMismatch(ValidationFailed):
    code = "slot_service_mismatch"
    message = "该时段不属于所选事项"


class CancellationClosed(Conflict):
    code = "cancellation_closed"
    message = "距预约开始不足规定时间，无法取消或改约"


class BookingNotActive(Conflict):
    code = "booking_not_active"
    message = "该预约当前状态不允许此操作"


class CapacityBelowBooked(Conflict):
    code = "capacity_below_booked"
    message = "容量不能少于已预约人数"


class TooEarly(Conflict):
    code = "too_early"
    message = "尚未到签到时间"


class TooLate(Conflict):
    code = "too_late"
    message = "已过签到时间（过号），本次预约记为爽约"


class AlreadyCheckedIn(Conflict):
    code = "already_checked_in"
    message = "该预约已签到"


class InvalidCheckinToken(ValidationFailed):
    code = "invalid_token"
    message = "签到码无效"


class SlotNotStarted(Conflict):
    code = "slot_not_started"
    message = "预约时段尚未开始，不能记为爽约"


class TicketStateConflict(Conflict):
    code = "invalid_ticket_state"
    message = "该排队号当前状态不允许此操作"


class NotCompleted(Conflict):
    code = "booking_not_completed"
    message = "办结后才能评价"


class RatingWindowClosed(Conflict):
    code = "rating_window_closed"
    message = "已超过评价期限（办结后7天）"


class AlreadyRated(Conflict):
    code = "already_rated"
    message = "该预约已评价"


class RevealNotAllowed(Conflict):
    code = "reveal_not_allowed"
    message = "仅可为差评回访查看联系电话"


class PhoneErased(Conflict):
    code = "phone_erased"
    message = "该预约的联系电话已按个人信息保护要求删除"


class HallNameTaken(Conflict):
    code = "hall_name_taken"
    message = "已有同名服务大厅"


class ServiceNameTaken(Conflict):
    code = "service_name_taken"
    message = "该大厅已有同名事项"


class NoSchedule(Conflict):
    code = "no_schedule"
    message = "该事项尚未设置排班"


def invalid_setting(path: str, reason: str, *, location: str = "body") -> errors.ValidationFailed:
    """A 422 naming the offending field, from the pure modules' InvalidSetting."""
    return ValidationFailed.field(path, reason, location=location)


def from_pii(error: pii.PiiFormatError, *, field: str) -> errors.ValidationFailed:
    """A 422 with the PII error's code (invalid_id_number, invalid_phone) and Chinese message."""
    cls = InvalidIdNumber if isinstance(error, pii.InvalidIdNumber) else InvalidPhone
    detail = {"field": field, "in": "body", "code": error.code, "message": error.message}
    return cls(error.message, details={"fields": [detail], "reason": error.reason})

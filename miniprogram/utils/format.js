// Small display helpers shared by pages and components.

/** "71米", "1.2公里", "" for a missing distance. */
function distance(metres) {
  if (metres === undefined || metres === null || Number.isNaN(Number(metres))) return ''
  const m = Math.round(Number(metres))
  if (m < 1000) return `${m}米`
  return `${(m / 1000).toFixed(m < 10000 ? 1 : 0)}公里`
}

const BOOKING_STATUS = {
  booked: '待签到',
  cancelled: '已取消',
  checked_in: '已签到',
  serving: '办理中',
  completed: '已办结',
  no_show: '已爽约',
}

/** A booking status in Chinese. */
function bookingStatus(status) {
  return BOOKING_STATUS[status] || status
}

const SLOT_REASON = {
  slot_full: '已约满',
  slot_closed: '停止预约',
  outside_booking_window: '未开放',
  slot_started: '已开始',
}

/** Why a slot cannot be booked, in Chinese. */
function slotReason(reason) {
  return SLOT_REASON[reason] || '不可预约'
}

/** A day off ('YYYY-MM-DD') on which the hall still opens: '周末开放' on Saturday or Sunday, else '节假日开放'. */
function dayOffOpening(date) {
  const [y, m, d] = String(date).split('-').map(Number)
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  return weekday === 0 || weekday === 6 ? '周末开放' : '节假日开放'
}

/**
 * Whether a booking still waits for its rating: completed, not rated, and within the week the server takes
 * ratings (rating_until; later it would answer rating_window_closed).
 */
function awaitsRating(booking, now = Date.now()) {
  if (booking.status !== 'completed' || booking.rating) return false
  return !booking.rating_until || Date.parse(booking.rating_until) >= now
}

module.exports = { distance, bookingStatus, slotReason, dayOffOpening, awaitsRating, BOOKING_STATUS }

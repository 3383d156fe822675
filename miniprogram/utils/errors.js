// Chinese messages for server errors. The server sends its own `message`; these are the fallbacks
// when an answer carries none (a proxy's 502 page, a timeout, an older server).

const BY_CODE = {
  network_error: '网络连接失败，请检查网络后重试',
  unauthorized: '请先登录',
  forbidden: '没有权限进行此操作',
  not_found: '内容不存在或已删除',
  validation_error: '填写的信息有误，请检查后重试',
  bad_request: '请求有误',
  too_many_requests: '操作太频繁，请稍后再试',
  service_unavailable: '服务暂时不可用，请稍后再试',
  internal_error: '服务器开小差了，请稍后再试',
  invalid_code: '微信登录凭证无效或已过期，请重新登录',
  wechat_rate_limited: '微信接口调用过于频繁，请稍后再试',
  wechat_unavailable: '微信服务暂时不可用，请稍后再试',
  slot_full: '该时段已约满，请选择其他时段',
  slot_closed: '该时段已停止预约',
  slot_started: '该时段已开始，不能再预约',
  slot_not_found: '预约时段不存在',
  outside_booking_window: '该日期不在可预约范围内',
  duplicate_booking: '该证件当天在本大厅已有预约',
  quota_exceeded: '该证件预约次数已达上限',
  booking_blocked: '因多次爽约，该证件暂停预约',
  invalid_id_number: '身份证号码无效',
  invalid_phone: '手机号码无效',
  booking_not_found: '预约不存在',
  booking_not_active: '该预约当前状态不允许此操作',
  cancellation_closed: '距预约开始不足规定时间，无法取消或改约',
  booking_not_completed: '办结后才能评价',
  rating_window_closed: '已超过评价期限',
  already_rated: '该预约已评价',
  hall_not_found: '服务大厅不存在',
  service_not_found: '办理事项不存在',
  poi_not_found: '服务点不存在',
  document_not_found: '文件不存在或尚未发布',
  issue_not_found: '该期公报不存在',
  invalid_cursor: '列表已更新，请下拉刷新',
}

const BY_STATUS = {
  400: '请求有误',
  401: '请先登录',
  403: '没有权限进行此操作',
  404: '内容不存在或已删除',
  409: '操作与当前状态冲突，请刷新后重试',
  413: '提交的内容过大',
  422: '填写的信息有误，请检查后重试',
  429: '操作太频繁，请稍后再试',
}

const CJK = /[\u4e00-\u9fff]/

/** The Chinese message to show for an error answer: the server's, else one per code, else per status. */
function messageFor(status, body) {
  const error = body && typeof body === 'object' && body.error && typeof body.error === 'object' ? body.error : {}
  let message = typeof error.message === 'string' && error.message ? error.message : ''
  if (!message) message = BY_CODE[error.code] || BY_STATUS[status] || (status >= 500 ? BY_CODE.service_unavailable : '请求失败，请稍后再试')
  const fields = error.details && Array.isArray(error.details.fields) ? error.details.fields : []
  // Field messages written for people are Chinese; pydantic's generic ones are English and would confuse.
  const first = fields.find(f => f && typeof f.message === 'string' && CJK.test(f.message))
  return first ? `${message}：${first.message}` : message
}

/** An error answer (or a network failure) as one object pages can inspect. */
class ApiError extends Error {
  constructor({ status, code, message, details }) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details || {}
  }
}

/** The ApiError for an HTTP answer. */
function fromResponse(status, body) {
  const error = body && body.error && typeof body.error === 'object' ? body.error : {}
  const code = error.code || (status >= 500 ? 'service_unavailable' : `http_${status}`)
  return new ApiError({ status, code, message: messageFor(status, body), details: error.details })
}

module.exports = { messageFor, fromResponse, ApiError, BY_CODE, NETWORK_MESSAGE: BY_CODE.network_error }

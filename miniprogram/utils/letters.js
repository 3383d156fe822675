// Letters to the district as the resident reads them: statuses, the timeline's steps, the rating choices,
// and the checks the write form makes before anything is sent (the server checks again).
const time = require('./time')
const validators = require('./validators')

const STEP_TEXT = {
  held: '已提交，等待内容审核',
  rejected: '未通过内容审核',
  received: '已受理',
  assigned: '已分派给承办部门',
  transferred: '已转办',
  returned: '退回重新分派',
  replied: '部门已答复',
  rated: '你已评价',
  reopened: '不满意，重新办理',
  overdue: '已超过答复期限，已督办',
  closed: '已办结',
  published: '答复已公开',
  adopted: '建议已采纳',
}

// The rating form's choices, in the server's words (LetterRating).
const RATINGS = [
  { value: 'satisfied', label: '满意' },
  { value: 'basically_satisfied', label: '基本满意' },
  { value: 'unsatisfied', label: '不满意' },
]

const MAX_PHOTOS = 9
const MAX_PHOTO_BYTES = 5 * 1024 * 1024

/** One timeline row: what happened, when, by which department, and the note (a reply's text, a reason). */
function step(s) {
  const dept = s.department ? s.department.name : ''
  return { text: STEP_TEXT[s.kind] || s.kind, at: time.dateTime(s.at), department: dept, note: s.note || '' }
}

/** A letter in 我的留言 and its detail page. Only a replied letter can be rated. */
function letter(l) {
  return {
    id: l.id, column: l.column, title: l.title, body: l.body, status: l.status, statusText: l.status_label,
    department: l.department ? l.department.name : '', due: l.due_on ? time.dayLabel(l.due_on).label : '',
    overdue: l.overdue, reply: l.reply || '', repliedAt: l.replied_at ? time.dateTime(l.replied_at) : '',
    rating: l.rating_label || '', rateable: l.status === 'replied', phone: l.phone || '',
    photos: l.photos || [], published: l.published, at: time.dateTime(l.created_at),
    steps: (l.steps || []).map(step),
  }
}

/** What is missing from the form, in Chinese ('' when it may be sent). */
function formProblem(form) {
  if (!form.column) return '请选择留言栏目'
  if ((form.title || '').trim().length < 2) return '请填写标题（至少2个字）'
  if ((form.body || '').trim().length < 5) return '请把问题写清楚（至少5个字）'
  if (form.otherPhone) return validators.checkPhone(form.phone).message
  return ''
}

module.exports = { letter, step, formProblem, RATINGS, STEP_TEXT, MAX_PHOTOS, MAX_PHOTO_BYTES }

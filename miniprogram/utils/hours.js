// Opening hours as the detail page shows them. Whether a place is open now, and when that changes,
// is the server's answer (open_now, next_change); this only lays out the weekly table.
const time = require('./time')

const DAYS = [['mon', '周一'], ['tue', '周二'], ['wed', '周三'], ['thu', '周四'], ['fri', '周五'], ['sat', '周六'], ['sun', '周日']]
const KEYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']

function periodsText(periods) {
  return periods && periods.length ? periods.map(p => `${p[0]}–${p[1]}`).join('、') : '休息'
}

/** One row per weekday: {day: '周一', text: '09:00–12:00、14:00–17:30' | '休息'}. */
function weeklyRows(openingHours) {
  const weekly = (openingHours && openingHours.weekly) || {}
  return DAYS.map(([key, day]) => ({ day, text: periodsText(weekly[key]) }))
}

/** Today's hours in words, a dated exception (holiday) taking the place of the weekly table. */
function todayText(openingHours, today) {
  if (!openingHours) return ''
  const exception = (openingHours.exceptions || []).find(e => e.date === today)
  if (exception) return exception.periods.length ? `今日（特别安排）${periodsText(exception.periods)}` : '今日休息（节假日）'
  const [y, m, d] = today.split('-').map(Number)
  const key = KEYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]
  const periods = (openingHours.weekly || {})[key]
  return periods && periods.length ? `今日 ${periodsText(periods)}` : '今日休息'
}

/** "18:00 关门" / "明天 09:00 开门" from next_change {at (local ISO), change}. */
function nextChangeText(nextChange, today) {
  if (!nextChange || !nextChange.at) return ''
  const date = nextChange.at.slice(0, 10)
  const clock = nextChange.at.slice(11, 16)
  const verb = nextChange.change === 'opens' ? '开门' : '关门'
  if (date === today) return `${clock} ${verb}`
  const [y, m, d] = today.split('-').map(Number)
  const tomorrow = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
  if (date === tomorrow) return `明天 ${clock} ${verb}`
  const label = time.dayLabel(date)
  return `${label.label}（${label.weekday}）${clock} ${verb}`
}

module.exports = { weeklyRows, todayText, nextChangeText }

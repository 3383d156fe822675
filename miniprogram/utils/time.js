// Dates and times as a person in the district reads them. The server sends instants in UTC ("...Z");
// halls keep the time zone that their slots are cut in. WeChat's JavaScript engines do not all
// carry time-zone data (Intl), so offsets come from this table: China has had no daylight saving
// since 1991, so a fixed offset is exact for every date a booking can have.

const OFFSETS = { 'Asia/Shanghai': 480, 'Asia/Chongqing': 480, 'Asia/Harbin': 480, 'Asia/Hong_Kong': 480,
  'Asia/Macau': 480, 'Asia/Urumqi': 360 }
const DEFAULT_ZONE = 'Asia/Shanghai'
const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

function pad(n) {
  return n < 10 ? `0${n}` : String(n)
}

/** Wall-clock parts of an ISO instant in a zone: {date: 'YYYY-MM-DD', time: 'HH:MM', weekday: 0..6}. */
function localParts(iso, zone = DEFAULT_ZONE) {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return { date: '', time: '', weekday: -1 }
  const offset = OFFSETS[zone] === undefined ? OFFSETS[DEFAULT_ZONE] : OFFSETS[zone]
  const d = new Date(ms + offset * 60000)
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`,
    weekday: d.getUTCDay(),
  }
}

/** "09:00–09:30" for a slot. */
function timeRange(startIso, endIso, zone) {
  return `${localParts(startIso, zone).time}–${localParts(endIso, zone).time}`
}

/** "2026-12-01 09:30" for an instant. */
function dateTime(iso, zone) {
  const p = localParts(iso, zone)
  return p.date ? `${p.date} ${p.time}` : ''
}

/** A calendar date 'YYYY-MM-DD' as {label: '12月1日', weekday: '周二'}. */
function dayLabel(date) {
  const [y, m, d] = String(date).split('-').map(Number)
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  return { label: `${m}月${d}日`, weekday: WEEKDAYS[weekday] }
}

/** Today's date in China as 'YYYY-MM-DD'. */
function chinaToday(now = Date.now()) {
  return localParts(new Date(now).toISOString()).date
}

module.exports = { localParts, timeRange, dateTime, dayLabel, chinaToday, WEEKDAYS }

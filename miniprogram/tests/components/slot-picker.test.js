/** @jest-environment jsdom */
const { render, listen, texts, aria, simulate } = require('./helpers')

// Availability as GET /api/v1/halls/{id}/availability answers it: instants in UTC.
const DAYS = [
  { date: '2026-12-04', working_day: true, calendar_confirmed: true, slots: [
    { id: 40, start: '2026-12-04T01:00:00Z', end: '2026-12-04T01:30:00Z', capacity: 8, remaining: 0, bookable: false, reason: 'slot_full' },
    { id: 41, start: '2026-12-04T01:30:00Z', end: '2026-12-04T02:00:00Z', capacity: 8, remaining: 0, bookable: false, reason: 'slot_full' },
  ] },
  { date: '2026-12-05', working_day: false, calendar_confirmed: true, slots: [] },
  { date: '2026-12-07', working_day: true, calendar_confirmed: true, slots: [
    { id: 70, start: '2026-12-07T01:00:00Z', end: '2026-12-07T01:30:00Z', capacity: 8, remaining: 0, bookable: false, reason: 'slot_full' },
    { id: 71, start: '2026-12-07T06:00:00Z', end: '2026-12-07T06:30:00Z', capacity: 8, remaining: 2, bookable: true, reason: null },
    { id: 72, start: '2026-12-07T06:30:00Z', end: '2026-12-07T07:00:00Z', capacity: 8, remaining: 8, bookable: false, reason: 'slot_closed' },
  ] },
]

test('opens on the first day that can still be booked, in the hall\'s local time, with seats left', () => {
  const comp = render('slot-picker', { days: DAYS })
  expect(texts(comp, '.day .date')).toEqual(['12月4日', '12月5日', '12月7日'])
  expect(texts(comp, '.day .weekday')).toEqual(['周五', '周六', '周一'])
  expect(texts(comp, '.day .state')).toEqual(['约满', '休息', '可约'])
  expect(comp.querySelector('.day.current .date').dom.textContent).toBe('12月7日')
  // 06:00 UTC is 14:00 in Shenzhen: the afternoon after the lunch break.
  expect(texts(comp, '.slot .range')).toEqual(['09:00–09:30', '14:00–14:30', '14:30–15:00'])
  expect(texts(comp, '.slot .note')).toEqual(['已约满', '余2', '停止预约'])
})

test('only a bookable slot can be chosen, and the choice says when it is', async () => {
  const comp = render('slot-picker', { days: DAYS })
  const events = listen(comp, 'select')
  const slots = comp.querySelectorAll('.slot')
  slots[0].dispatchEvent('tap')
  slots[2].dispatchEvent('tap')
  slots[1].dispatchEvent('tap')
  await simulate.sleep(0)
  expect(events).toHaveLength(1)
  expect(events[0].detail.slot).toEqual({ id: 71, date: '2026-12-07', start: '2026-12-07T06:00:00Z', end: '2026-12-07T06:30:00Z',
    remaining: 2, label: '12月7日 周一 14:00–14:30' })
})

test('a rest day cannot be opened; another working day shows its own slots', async () => {
  const comp = render('slot-picker', { days: DAYS })
  const days = comp.querySelectorAll('.day')
  days[1].dispatchEvent('tap')
  await simulate.sleep(0)
  expect(comp.querySelector('.day.current .date').dom.textContent).toBe('12月7日')
  days[0].dispatchEvent('tap')
  await simulate.sleep(0)
  expect(texts(comp, '.slot .range')).toEqual(['09:00–09:30', '09:30–10:00'])
})

test('a year without official holiday data is flagged', () => {
  const unconfirmed = [{ date: '2027-03-01', working_day: true, calendar_confirmed: false, slots: [
    { id: 1, start: '2027-03-01T01:00:00Z', end: '2027-03-01T01:30:00Z', capacity: 4, remaining: 4, bookable: true, reason: null }] }]
  const comp = render('slot-picker', { days: unconfirmed })
  expect(texts(comp, '.notice')).toEqual(['该年度节假日安排尚未公布，日期可能调整'])
  expect(render('slot-picker', { days: DAYS }).querySelector('.notice')).toBeUndefined()
})

// The district hall's Saturday morning: a day off by the calendar, with slots the server says are bookable.
const WITH_SATURDAY = [
  { date: '2026-12-04', working_day: true, calendar_confirmed: true, slots: [
    { id: 40, start: '2026-12-04T01:00:00Z', end: '2026-12-04T01:30:00Z', capacity: 8, remaining: 0, bookable: false, reason: 'slot_full' }] },
  { date: '2026-12-05', working_day: false, calendar_confirmed: true, slots: [
    { id: 50, start: '2026-12-05T01:00:00Z', end: '2026-12-05T01:30:00Z', capacity: 8, remaining: 3, bookable: true, reason: null },
    { id: 51, start: '2026-12-05T01:30:00Z', end: '2026-12-05T02:00:00Z', capacity: 8, remaining: 8, bookable: false, reason: 'slot_started' }] },
  { date: '2026-12-06', working_day: false, calendar_confirmed: true, slots: [] },
  { date: '2026-10-01', working_day: false, calendar_confirmed: true, slots: [
    { id: 60, start: '2026-10-01T01:00:00Z', end: '2026-10-01T01:30:00Z', capacity: 8, remaining: 8, bookable: true, reason: null }] },
]

test('a Saturday with bookable slots is open, says it is a weekend opening, and its slots can be booked', async () => {
  const comp = render('slot-picker', { days: WITH_SATURDAY })
  expect(texts(comp, '.day .state')).toEqual(['约满', '周末开放', '休息', '节假日开放'])
  expect(comp.querySelectorAll('.day.rest').map(n => n.dom.textContent.includes('12月6日'))).toEqual([true])
  // It opens on the Saturday, the first day with a bookable slot, and says why a day off is open.
  expect(comp.querySelector('.day.current .date').dom.textContent).toBe('12月5日')
  expect(texts(comp, '.notice.opening')).toEqual(['12月5日（周六）是周末，大厅开放预约'])
  expect(texts(comp, '.slot .note')).toEqual(['余3', '已开始'])
  const events = listen(comp, 'select')
  comp.querySelectorAll('.slot')[1].dispatchEvent('tap')
  comp.querySelectorAll('.slot')[0].dispatchEvent('tap')
  await simulate.sleep(0)
  expect(events.map(e => e.detail.slot.label)).toEqual(['12月5日 周六 09:00–09:30'])
})

test('a greyed slot says why, for eyes and for screen readers; a bookable one is not greyed', () => {
  const comp = render('slot-picker', { days: WITH_SATURDAY })
  const [open, started] = comp.querySelectorAll('.slot')
  expect(open.dom.className).not.toMatch(/disabled/)
  expect(started.dom.className).toMatch(/disabled/)
  expect(aria(started)).toEqual({ role: 'button', label: '09:30–10:00 已开始' })
  expect(aria(open)).toEqual({ role: 'button', label: '09:00–09:30 余3' })
  expect(aria(comp.querySelectorAll('.day')[1])).toEqual({ role: 'button', label: '12月5日 周六 周末开放' })
})

test('a holiday opening on a weekday is labelled as such and can be opened by a tap', async () => {
  const comp = render('slot-picker', { days: WITH_SATURDAY })
  comp.querySelectorAll('.day')[3].dispatchEvent('tap')
  await simulate.sleep(0)
  expect(comp.querySelector('.day.current .date').dom.textContent).toBe('10月1日')
  expect(texts(comp, '.notice.opening')).toEqual(['10月1日（周四）是节假日，大厅开放预约'])
  comp.querySelectorAll('.day')[2].dispatchEvent('tap')
  await simulate.sleep(0)
  expect(comp.querySelector('.day.current .date').dom.textContent).toBe('10月1日')
})

/** @jest-environment jsdom */
const { render, listen, texts, simulate } = require('./helpers')

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

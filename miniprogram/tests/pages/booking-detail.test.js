// My bookings after booking: cancel, reschedule, the live queue, and the rating after completion.
const { createWx, json, errorBody, shown } = require('../fake-wx')
const { loadPage, tap } = require('../page-harness')
const { render, byClass, text, elements } = require('../page-view')
const S = require('../fixtures/server')

function setup(booking, options) {
  const wx = createWx(options)
  wx.setStorageSync('bianmin.session', S.LOGIN)
  wx.server.on('GET /api/v1/bookings/5', booking).on('GET /api/v1/bookings/5/qr.png', json(200, ''))
  return wx
}

async function open(wx) {
  const page = loadPage('pages/booking/detail', { wx })
  await page.onLoad({ id: '5' })
  return page
}

test('cancelling asks for a reason, sends it, and drops the QR code', async () => {
  const wx = setup(S.booking(), { modalConfirm: true, modalContent: '临时有事' })
  wx.server.on('POST /api/v1/bookings/5/cancel', S.booking({ status: 'cancelled', cancel_reason: '临时有事', cancelled_by: 'resident' }))
  const page = await open(wx)
  expect(page.data.qr).not.toBe('')
  await page.onCancel()
  expect(wx.calls.showModal[0]).toMatchObject({ title: '取消预约', editable: true })
  expect(wx.server.calls('POST /api/v1/bookings/5/cancel')[0].data).toEqual({ reason: '临时有事' })
  expect(page.data.booking).toMatchObject({ statusText: '已取消', active: false, cancelReason: '临时有事' })
  expect(page.data.qr).toBe('')
})

test('a cancellation too close to the slot shows the server\'s reason and changes nothing', async () => {
  const wx = setup(S.booking())
  wx.server.on('POST /api/v1/bookings/5/cancel', errorBody(409, 'cancellation_closed', '距预约开始不足规定时间，无法取消或改约'))
  const page = await open(wx)
  await page.onCancel()
  expect(shown(wx)).toContain('距预约开始不足规定时间，无法取消或改约')
  expect(page.data.booking.status).toBe('booked')
})

test('declining the cancel dialog sends nothing', async () => {
  const wx = setup(S.booking(), { modalConfirm: false })
  const page = await open(wx)
  await page.onCancel()
  expect(wx.server.calls('POST /api/v1/bookings/5/cancel')).toHaveLength(0)
})

test('reschedule opens the booking page on the same hall and service; the queue shows my ticket', async () => {
  const wx = setup(S.booking({ status: 'checked_in', ticket: { id: 3, label: 'A007', kind: 'booked', status: 'waiting', window: null,
    hall_id: 1, booking_id: 5, date: '2026-12-01', created_at: '2026-12-01T01:20:00Z', called_at: null } }))
  const page = await open(wx)
  // Checked in: no QR code any more, the ticket number instead.
  expect(wx.server.calls('GET /api/v1/bookings/5/qr.png')).toHaveLength(0)
  expect(page.data.booking).toMatchObject({ ticket: 'A007', inQueue: true, active: false })
  page.onReschedule()
  page.onQueue()
  expect(wx.calls.navigateTo).toEqual([
    { url: '/pages/booking/booking?hall_id=1&service_id=1&reschedule=5' },
    { url: '/pages/booking/queue?hall_id=1&ticket=A007' },
  ])
})

// Completed a moment ago: the week to rate it runs from now (the pages compare it with the phone's clock).
const COMPLETED = { status: 'completed', completed_at: new Date(Date.now() - 3600e3).toISOString(),
  rating_until: new Date(Date.now() + 7 * 86400e3 - 3600e3).toISOString() }
const OVERDUE = { status: 'completed', completed_at: '2026-10-01T02:10:00Z', rating_until: '2026-10-08T02:10:00Z' }
const RATED = Object.assign({ rating: { id: 1, score: 4, comment: '窗口很耐心', created_at: '2026-12-01T03:00:00Z' } }, COMPLETED)

/** What the rating card shows: the form's controls, or the score given. */
function ratingCard(page) {
  const tree = render(page)
  const nodes = elements(tree)
  return {
    form: nodes.some(n => n.tag === 'wx-textarea') || nodes.some(n => n.attr && n.attr.bindtap === 'onRate'),
    given: byClass(tree, 'rating').map(text).join(''),
    aria: byClass(tree, 'given').map(n => `${n.attr.ariaRole} ${n.attr.ariaLabel}`),
  }
}

test('after completion the resident rates the service once, and then sees the score given', async () => {
  const wx = setup(S.booking(COMPLETED))
  wx.server.on('POST /api/v1/bookings/5/rating', json(201, { id: 1, booking_id: 5, hall_id: 1, score: 2, comment: '等了很久',
    dissatisfied: true, follow_up_status: 'pending', follow_up_note: '', created_at: '2026-12-01T03:00:00Z', updated_at: '2026-12-01T03:00:00Z' }))
  const page = await open(wx)
  expect(ratingCard(page)).toEqual({ form: true, given: '', aria: [] })
  await page.onRate()
  expect(shown(wx)).toEqual(['请先选择评分'])
  page.onScore(tap({ score: 2 }))
  page.onComment({ detail: { value: '等了很久' } })
  expect(page.data.scoreWord).toBe('不满意')
  await page.onRate()
  expect(wx.server.calls('POST /api/v1/bookings/5/rating')[0].data).toEqual({ score: 2, comment: '等了很久' })
  expect(ratingCard(page)).toEqual({ form: false, given: '你的评价（好差评）★★☆☆☆ 不满意等了很久感谢你的评价',
    aria: ['img 你的评价：2星，不满意'] })
})

test('a booking rated earlier shows its score and comment, never the form', async () => {
  const wx = setup(S.booking(RATED))
  const page = await open(wx)
  expect(ratingCard(page)).toEqual({ form: false, given: '你的评价（好差评）★★★★☆ 满意窗口很耐心感谢你的评价',
    aria: ['img 你的评价：4星，满意'] })
})

test('rated meanwhile on another phone: the form gives way to the score the server kept', async () => {
  const wx = setup(S.booking(COMPLETED))
  wx.server.on('GET /api/v1/bookings/5', S.booking(COMPLETED), S.booking(RATED))
  wx.server.on('POST /api/v1/bookings/5/rating', errorBody(409, 'already_rated', '该预约已评价'))
  const page = await open(wx)
  page.onScore(tap({ score: 1 }))
  await page.onRate()
  expect(ratingCard(page)).toMatchObject({ form: false, aria: ['img 你的评价：4星，满意'] })
})

test('a week after completion the form is no longer offered, and my bookings stop asking for a rating', async () => {
  const page = await open(setup(S.booking(OVERDUE)))
  expect(ratingCard(page)).toEqual({ form: false, given: '', aria: [] })
  const wx = createWx()
  wx.setStorageSync('bianmin.session', S.LOGIN)
  wx.server.on('GET /api/v1/bookings', [S.booking(OVERDUE), S.booking(COMPLETED)])
  const mine = loadPage('pages/booking/mine', { wx })
  await mine.onShow()
  expect(byClass(render(mine), 'rating-note').map(text)).toEqual(['待评价'])
})

test('a booking not completed offers no rating', async () => {
  const page = await open(setup(S.booking()))
  expect(ratingCard(page)).toEqual({ form: false, given: '', aria: [] })
})

test('the live queue shows who is served and how many are ahead, refreshing while shown', async () => {
  jest.useFakeTimers()
  const wx = createWx()
  wx.server.on('GET /api/v1/halls/1/queue',
    { hall_id: 1, date: '2026-12-01', serving: [{ window: '3', ticket: 'A004' }], waiting: 5, next: ['A005', 'A006', 'A007'] },
    { hall_id: 1, date: '2026-12-01', serving: [{ window: '3', ticket: 'A006' }], waiting: 3, next: ['A007'] })
  const page = loadPage('pages/booking/queue', { wx })
  page.onLoad({ hall_id: '1', ticket: 'A007' })
  await page.onShow()
  expect(page.data).toMatchObject({ ahead: 2, queue: { waiting: 5 } })
  jest.advanceTimersByTime(15000)
  await jest.runOnlyPendingTimersAsync()
  await Promise.resolve()
  page.onHide()
  await new Promise(resolve => jest.requireActual('timers').setImmediate(resolve))
  jest.useRealTimers()
  expect(wx.server.calls('GET /api/v1/halls/1/queue').length).toBeGreaterThanOrEqual(2)
  expect(page.data.ahead).toBe(0)
})

test('my bookings filter by status with repeated status keys', async () => {
  const wx = createWx()
  wx.setStorageSync('bianmin.session', S.LOGIN)
  wx.server.on('GET /api/v1/bookings', [S.booking()])
  const page = loadPage('pages/booking/mine', { wx })
  await page.onShow()
  expect(wx.server.requests[0].query).toEqual({})
  await page.onFilter(tap({ key: 'active' }))
  expect(wx.server.requests[1].query).toEqual({ status: ['booked', 'checked_in', 'serving'] })
  expect(page.data.items[0]).toMatchObject({ service: '社保卡补办', statusText: '待签到', when: '12月1日 周二 09:30–10:00' })
})

test('my bookings say which completed ones are rated, with the score, and which wait for a rating', async () => {
  const wx = createWx()
  wx.setStorageSync('bianmin.session', S.LOGIN)
  wx.server.on('GET /api/v1/bookings', [S.booking(Object.assign({ id: 6 }, RATED)), S.booking(COMPLETED), S.booking()])
  const page = loadPage('pages/booking/mine', { wx })
  await page.onShow()
  const tree = render(page)
  expect(byClass(tree, 'rating-note').map(text)).toEqual(['已评价4星', '待评价'])
  expect(byClass(tree, 'row').map(n => n.attr.ariaLabel)).toEqual([
    '社保卡补办 12月1日 周二 09:30–10:00 已办结 已评价4星',
    '社保卡补办 12月1日 周二 09:30–10:00 已办结 待评价',
    '社保卡补办 12月1日 周二 09:30–10:00 待签到',
  ])
})

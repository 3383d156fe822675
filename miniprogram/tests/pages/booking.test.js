// The booking flow's page logic against a fake wx: login, service and slot choice, the real-name form,
// consent to reminders (grants sent to the server), the booking, and the confirmation with QR and code.
const { createWx, json, errorBody, shown } = require('../fake-wx')
const { loadPage, createApp, tap } = require('../page-harness')
const S = require('../fixtures/server')

const PERSON = { name: '张三', id_number: '11010519491231002X', phone: '13800138000' }

function serve(wx) {
  wx.server
    .on('GET /api/v1/halls/1', S.HALL)
    .on('GET /api/v1/halls/1/services', S.SERVICES)
    .on('GET /api/v1/push/templates', S.TEMPLATES)
    .on('GET /api/v1/halls/1/availability', S.AVAILABILITY)
    .on('POST /api/v1/auth/wechat', S.LOGIN)
    .on('POST /api/v1/push/grants', json(200, []))
    .on('POST /api/v1/bookings', json(201, S.booking()))
    .on('GET /api/v1/bookings/5', S.booking())
    .on('GET /api/v1/bookings/5/qr.png', json(200, ''))
}

async function openBooking(wx, options = { hall_id: '1' }) {
  const page = loadPage('pages/booking/booking', { wx })
  await page.onLoad(options)
  return page
}

const SLOT = { id: 2, date: '2026-12-01', start: '2026-12-01T01:30:00Z', end: '2026-12-01T02:00:00Z', remaining: 3, label: '12月1日 周二 09:30–10:00' }

test('a resident books a slot from start to confirmation', async () => {
  const wx = createWx({ subscribe: () => ({ TPL_REMIND: 'accept', TPL_CONFIRM: 'accept', TPL_CANCEL: 'reject' }) })
  serve(wx)
  const page = await openBooking(wx)
  // Only service items with a schedule can be booked.
  expect(page.data.services.map(s => s.name)).toEqual(['社保卡补办', '公租房申请'])

  await page.onService(tap({ id: 1 }))
  expect(page.data.step).toBe('slot')
  expect(page.data.service.materials).toEqual(['居民身份证原件', '一寸白底照片'])
  expect(wx.server.calls('GET /api/v1/halls/1/availability')[0].query).toEqual({ service_id: '1' })
  expect(page.data.days).toEqual(S.AVAILABILITY.days)

  page.onSlot({ detail: { slot: SLOT } })
  expect(page.data.step).toBe('form')

  const mark = wx.timeline.length
  await page.onSubmit({ detail: PERSON })
  // The consent dialog opens first, straight from the tap; then login, grants and the booking.
  expect(wx.timeline.slice(mark)).toEqual([
    'wx.requestSubscribeMessage', 'wx.login', 'POST /api/v1/auth/wechat', 'POST /api/v1/push/grants', 'POST /api/v1/bookings', 'wx.redirectTo',
  ])
  expect(wx.calls.requestSubscribeMessage[0].tmplIds).toEqual(['TPL_REMIND', 'TPL_CONFIRM', 'TPL_CANCEL'])
  expect(wx.server.calls('POST /api/v1/push/grants')[0].data).toEqual({ results: { TPL_REMIND: 'accept', TPL_CONFIRM: 'accept', TPL_CANCEL: 'reject' } })
  const booked = wx.server.calls('POST /api/v1/bookings')[0]
  expect(booked.data).toEqual({ slot_id: 2, service_id: 1, name: '张三', id_number: '11010519491231002X', phone: '13800138000' })
  expect(booked.header.Authorization).toBe('Bearer tok-resident')
  expect(booked.header['Idempotency-Key']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/)
  expect(wx.calls.redirectTo).toEqual([{ url: '/pages/booking/detail?id=5&created=1' }])

  // The confirmation: the booking code, and the check-in QR code fetched with the login.
  const detail = loadPage('pages/booking/detail', { wx })
  await detail.onLoad({ id: '5', created: '1' })
  expect(detail.data.created).toBe(true)
  expect(detail.data.booking).toMatchObject({ code: '62B29982', statusText: '待签到', when: '12月1日 周二 09:30–10:00', deadline: '09:45' })
  const qr = wx.server.calls('GET /api/v1/bookings/5/qr.png')[0]
  expect(qr.kind).toBe('download')
  expect(qr.header.Authorization).toBe('Bearer tok-resident')
  expect(detail.data.qr).toMatch(/^wxfile:\/\//)
  expect(wx.server.unmatched).toEqual([])
})

// Each code the server gives when the chosen slot cannot be booked any more (the slot began meanwhile too).
test.each([
  ['slot_full', '该时段已约满，请选择其他时段'],
  ['slot_started', '该时段已开始，不能再预约'],
  ['slot_closed', '该时段已停止预约'],
])('a slot refused with %s sends the resident back to fresh availability with the server\'s message', async (code, message) => {
  const wx = createWx()
  serve(wx)
  wx.server.on('POST /api/v1/bookings', errorBody(409, code, message))
  const page = await openBooking(wx, { hall_id: '1', service_id: '1' })
  page.onSlot({ detail: { slot: SLOT } })
  await page.onSubmit({ detail: PERSON })
  expect(shown(wx)).toEqual([message])
  expect(page.data).toMatchObject({ step: 'slot', slot: null, submitting: false })
  expect(wx.server.calls('GET /api/v1/halls/1/availability')).toHaveLength(2)
  expect(wx.calls.redirectTo).toBeUndefined()
})

test('a quota refusal keeps the form, so the resident can read why', async () => {
  const wx = createWx()
  serve(wx)
  wx.server.on('POST /api/v1/bookings', errorBody(409, 'quota_exceeded', '该证件预约次数已达上限'))
  const page = await openBooking(wx, { hall_id: '1', service_id: '1' })
  page.onSlot({ detail: { slot: SLOT } })
  await page.onSubmit({ detail: PERSON })
  expect(page.data.step).toBe('form')
  expect(shown(wx)).toEqual(['该证件预约次数已达上限'])
})

test('a retry after a lost answer carries the same Idempotency-Key; a new slot gets a new one', async () => {
  const wx = createWx()
  serve(wx)
  wx.server.on('POST /api/v1/bookings', errorBody(503, 'service_unavailable', '服务暂时不可用，请稍后再试'), json(201, S.booking()))
  const page = await openBooking(wx, { hall_id: '1', service_id: '1' })
  page.onSlot({ detail: { slot: SLOT } })
  await page.onSubmit({ detail: PERSON })
  await page.onSubmit({ detail: PERSON })
  const keys = wx.server.calls('POST /api/v1/bookings').map(r => r.header['Idempotency-Key'])
  expect(keys[0]).toBe(keys[1])
  page.onSlot({ detail: { slot: Object.assign({}, SLOT, { id: 14 }) } })
  await page.onSubmit({ detail: PERSON })
  expect(wx.server.calls('POST /api/v1/bookings')[2].header['Idempotency-Key']).not.toBe(keys[0])
})

test('refusing every reminder still books, and nothing is posted as a grant', async () => {
  const wx = createWx({ subscribe: () => ({}) })
  serve(wx)
  const page = await openBooking(wx, { hall_id: '1', service_id: '1' })
  page.onSlot({ detail: { slot: SLOT } })
  await page.onSubmit({ detail: PERSON })
  expect(wx.server.calls('POST /api/v1/push/grants')).toHaveLength(0)
  expect(wx.calls.redirectTo).toEqual([{ url: '/pages/booking/detail?id=5&created=1' }])
})

test('a link from a gazette document opens on its service item', async () => {
  const wx = createWx()
  serve(wx)
  const page = await openBooking(wx, { hall_id: '1', service_id: '5' })
  expect(page.data.service.name).toBe('公租房申请')
  expect(wx.server.calls('GET /api/v1/halls/1/availability')[0].query).toEqual({ service_id: '5' })
})

test('rescheduling moves the booking to the chosen slot after asking for the reschedule reminder', async () => {
  const wx = createWx()
  serve(wx)
  wx.server.on('POST /api/v1/bookings/5/reschedule', S.booking({ slot: { id: 14, date: '2026-12-02', start: '2026-12-02T06:00:00Z', end: '2026-12-02T06:30:00Z' } }))
  const app = createApp(wx)
  wx.setStorageSync('bianmin.session', S.LOGIN)
  const page = loadPage('pages/booking/booking', { wx, app })
  await page.onLoad({ hall_id: '1', service_id: '1', reschedule: '5' })
  page.onSlot({ detail: { slot: Object.assign({}, SLOT, { id: 14 }) } })
  expect(page.data.step).toBe('confirm')
  await page.onConfirmReschedule()
  expect(wx.calls.requestSubscribeMessage[0].tmplIds).toEqual(['TPL_RESCHED', 'TPL_REMIND', 'TPL_CANCEL'])
  expect(wx.server.calls('POST /api/v1/bookings/5/reschedule')[0].data).toEqual({ slot_id: 14 })
  expect(wx.calls.redirectTo).toEqual([{ url: '/pages/booking/detail?id=5&rescheduled=1' }])
  expect(wx.server.calls('POST /api/v1/bookings')).toHaveLength(0)
})

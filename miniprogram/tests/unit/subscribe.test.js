const { createWx, json } = require('../fake-wx')

const TEMPLATES = [
  { id: 'TPL_CONFIRM', kind: 'one_time', purpose: 'booking_confirmed' },
  { id: 'TPL_REMIND', kind: 'long_term', purpose: 'booking_reminder' },
  { id: 'TPL_CANCEL', kind: 'one_time', purpose: 'booking_cancelled' },
  { id: 'TPL_RESCHED', kind: 'one_time', purpose: 'booking_rescheduled' },
  { id: 'TPL_DOC', kind: 'one_time', purpose: 'document_published' },
]
const LOGIN = { token: 't', expires_at: '2099-01-01T00:00:00Z', user: { id: 1 } }

function setup(options) {
  const wx = createWx(options)
  global.wx = wx
  let subscribe
  jest.isolateModules(() => { subscribe = require('../../utils/subscribe') })
  return { wx, subscribe }
}

test('the booking reminders are asked for, at most three at once, in order of importance', () => {
  const { subscribe } = setup()
  expect(subscribe.templateIds(TEMPLATES, subscribe.BOOKING_PURPOSES)).toEqual(['TPL_REMIND', 'TPL_CONFIRM', 'TPL_CANCEL'])
  expect(subscribe.templateIds(TEMPLATES.slice(0, 1), subscribe.BOOKING_PURPOSES)).toEqual(['TPL_CONFIRM'])
  expect(subscribe.templateIds([], subscribe.BOOKING_PURPOSES)).toEqual([])
})

test('only real answers are kept: WeChat\'s errMsg and "filter" are dropped', async () => {
  const { subscribe, wx } = setup({ subscribe: () => ({ TPL_REMIND: 'accept', TPL_CONFIRM: 'filter', TPL_CANCEL: 'reject' }) })
  const results = await subscribe.ask(['TPL_REMIND', 'TPL_CONFIRM', 'TPL_CANCEL'])
  expect(results).toEqual({ TPL_REMIND: 'accept', TPL_CANCEL: 'reject' })
  expect(wx.calls.requestSubscribeMessage[0].tmplIds).toEqual(['TPL_REMIND', 'TPL_CONFIRM', 'TPL_CANCEL'])
})

test('the answers are posted as grants; nothing is posted when there is nothing to say', async () => {
  const { subscribe, wx } = setup()
  wx.server.on('POST /api/v1/auth/wechat', LOGIN).on('POST /api/v1/push/grants', json(200, []))
  await subscribe.record({})
  expect(wx.server.requests).toHaveLength(0)
  await subscribe.record({ TPL_REMIND: 'accept', TPL_CANCEL: 'ban' })
  expect(wx.server.calls('POST /api/v1/push/grants')[0].data).toEqual({ results: { TPL_REMIND: 'accept', TPL_CANCEL: 'ban' } })
})

test('no templates configured means no dialog', async () => {
  const { subscribe, wx } = setup()
  await expect(subscribe.ask([])).resolves.toEqual({})
  expect(wx.calls.requestSubscribeMessage).toBeUndefined()
})

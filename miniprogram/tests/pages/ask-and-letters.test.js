// 问一问 and 我的留言 against a fake wx: suggestions while typing, an answer and its feedback, a letter written
// with a place and photos, its timeline and rating, and published replies.
const { createWx, flush, json, errorBody, shown } = require('../fake-wx')
const { loadPage, tap } = require('../page-harness')
const { render, elements, byClass, text } = require('../page-view')
const S = require('../fixtures/server')

const SUGGESTIONS = { items: [
  { id: 7, question: '社保卡丢了怎么补办？', question_html: '<em>社保</em>卡丢了怎么补办？', category: 'social_security' },
  { id: 9, question: '社保转移需要什么材料？', question_html: '<em>社保</em>转移需要什么材料？', category: 'social_security' },
] }

const ENTRY = {
  id: 7, question: '社保卡丢了怎么补办？', answer_html: '<p>携带身份证到区行政服务大厅社保窗口办理。</p>',
  category: { value: 'social_security', label: '就业社保' }, department: { id: 2, name: '区人力资源局' },
  links: { services: [], halls: [1], pois: [], documents: [] }, valid_from: null, valid_until: null, views: 12, solved: 30,
  updated_at: '2026-12-01T02:00:00Z',
}

const COLUMNS = [
  { code: 'secretary', name: '书记信箱', description: '', kind: 'letter', is_active: true },
  { code: 'mayor', name: '区长信箱', description: '', kind: 'letter', is_active: true },
  { code: 'proposal', name: '人民建议', description: '', kind: 'proposal', is_active: true },
  { code: 'old', name: '停用栏目', description: '', kind: 'letter', is_active: false },
]
const CATEGORIES = [{ value: 'social_security', label: '就业社保' }, { value: 'city', label: '城市管理' }]
// GET /api/v1/questions/campaigns: newest first, open or not.
const CAMPAIGNS = [
  { id: 8, title: '明年民生实事征集', description: '', starts_on: '2027-01-01', ends_on: '2027-01-31', open: false },
  { id: 7, title: '东门片区旧改意见征集', description: '征求东门片区城市更新的意见和建议。', starts_on: '2026-12-01', ends_on: '2026-12-31', open: true },
  { id: 5, title: '公园绿地建议征集', description: '', starts_on: '2026-10-01', ends_on: '2026-10-31', open: false },
]
const TEMPLATES = S.TEMPLATES.concat({ id: 'TPL_LETTER', kind: 'one_time', purpose: 'letter_replied' })

function letter(changes) {
  return Object.assign({
    id: 31, column: '区长信箱', title: '东门路口路灯坏了', body: '东门步行街北口的路灯已经坏了一周。', category: 'city',
    place: { lon: 114.118, lat: 22.552 }, division: '440303003', publish_consent: true, phone: '138****5678',
    status: 'received', status_label: '已受理', department: null, due_on: null, overdue: false, reply: null,
    replied_at: null, rating: null, rating_label: null, reopens: 0, closed_at: null, published: false,
    campaign_id: null, adopted: false, adoption_note: null, created_at: '2026-12-07T02:00:00Z', photos: [],
    steps: [{ kind: 'received', at: '2026-12-07T02:00:00Z', note: '', department: null }],
  }, changes)
}

const CITY = { id: 3, name: '区城管局' }
const REPLIED = letter({
  status: 'replied', status_label: '已答复', department: CITY, due_on: '2026-12-10', reply: '已安排维修，今晚恢复照明。',
  replied_at: '2026-12-08T09:30:00Z', photos: [41, 42],
  steps: [
    { kind: 'received', at: '2026-12-07T02:00:00Z', note: '', department: null },
    { kind: 'assigned', at: '2026-12-07T03:00:00Z', note: '', department: CITY },
    { kind: 'replied', at: '2026-12-08T09:30:00Z', note: '已安排维修，今晚恢复照明。', department: CITY },
  ],
})

function loggedIn(wx) {
  wx.setStorageSync('bianmin.session', { token: 'tok-resident', expires_at: '2099-01-01T00:00:00Z', user: Object.assign({}, S.LOGIN.user, { phone: '138****5678' }) })
  return wx
}

describe('问一问', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }))
  afterEach(() => jest.useRealTimers())

  test('suggestions come once typing pauses, and a late answer to older text does not replace newer ones', async () => {
    const wx = createWx()
    let release
    wx.server.on('GET /api/v1/questions/suggest',
      () => new Promise(resolve => { release = () => resolve({ status: 200, body: { items: [SUGGESTIONS.items[1]] } }) }),
      json(200, SUGGESTIONS))
    const page = loadPage('pages/ask/ask', { wx })
    page.onShow()
    page.onInput({ detail: { value: '社' } })
    page.onInput({ detail: { value: '社保' } })
    jest.advanceTimersByTime(299)
    expect(wx.server.requests).toEqual([]) // still typing
    jest.advanceTimersByTime(1)
    await flush()
    page.onInput({ detail: { value: '社保卡' } })
    jest.advanceTimersByTime(300)
    await flush()
    expect(wx.server.calls('GET /api/v1/questions/suggest').map(r => r.query.q)).toEqual(['社保', '社保卡'])
    expect(page.data.suggestions.map(s => s.id)).toEqual([7, 9])
    release() // the answer for "社保" arrives last
    await flush()
    expect(page.data.suggestions.map(s => s.id)).toEqual([7, 9])
    page.onAnswer(tap({ id: 7 }))
    page.onWrite()
    expect(wx.calls.navigateTo.map(c => c.url)).toEqual([
      '/pages/ask/answer?id=7', `/pages/letters/write?title=${encodeURIComponent('社保卡')}`])
  })

  test('one character asks nothing and clears the list', async () => {
    const wx = createWx()
    const page = loadPage('pages/ask/ask', { wx })
    page.setData({ suggestions: SUGGESTIONS.items, searched: true })
    page.onInput({ detail: { value: '社' } })
    jest.advanceTimersByTime(300)
    await flush()
    expect(wx.server.requests).toEqual([])
    expect(page.data).toMatchObject({ suggestions: [], searched: false })
  })
})

describe('an answer', () => {
  test('"solved" is recorded; "not solved" offers a letter that carries the vote and the category', async () => {
    const wx = loggedIn(createWx())
    wx.server.on('GET /api/v1/questions/answers/7', ENTRY)
      .on('POST /api/v1/questions/answers/7/feedback', { ask_id: 55, outcome: 'not_solved', solved: 30, not_solved: 4 })
    const page = loadPage('pages/ask/answer', { wx })
    await page.onLoad({ id: '7' })
    expect(page.data.entry.question).toBe('社保卡丢了怎么补办？')
    await page.onNotSolved()
    expect(wx.server.calls('POST /api/v1/questions/answers/7/feedback')[0]).toMatchObject({
      data: { solved: false }, header: { Authorization: 'Bearer tok-resident' } })
    expect(page.data).toMatchObject({ voted: 'not_solved', askId: 55 })
    page.onWrite()
    expect(wx.calls.navigateTo).toEqual([{ url: '/pages/letters/write?ask_id=55&category=social_security' }])
  })
})

describe('writing a letter', () => {
  function writer(wx) {
    wx.server.on('GET /api/v1/questions/columns', COLUMNS).on('GET /api/v1/questions/categories', CATEGORIES)
      .on('GET /api/v1/me', Object.assign({}, S.LOGIN.user, { phone: '138****5678' }))
      .on('GET /api/v1/push/templates', TEMPLATES).on('POST /api/v1/push/grants', []).on('GET /api/v1/questions/campaigns', CAMPAIGNS)
    return loadPage('pages/letters/write', { wx })
  }

  test('columns, the category from the answer, a place, photos, consent and the bound phone go in one letter', async () => {
    const wx = loggedIn(createWx({
      chosenPlace: { name: '东门步行街北口', address: '深圳市罗湖区东门中路', latitude: 22.5497, longitude: 114.1235 },
      media: [{ tempFilePath: 'wxfile://tmp/a.jpg', size: 120000 }, { tempFilePath: 'wxfile://tmp/big.jpg', size: 6 * 1024 * 1024 },
        { tempFilePath: 'wxfile://tmp/b.jpg', size: 90000 }],
    }))
    let nextPhoto = 41
    wx.server.on('POST /api/v1/questions/photos', () => ({ status: 201, body: { id: nextPhoto++, content_type: 'image/jpeg', size: 1, checked: true } }))
      .on('POST /api/v1/questions/letters', json(201, letter({ id: 31 })))
    const page = writer(wx)
    await page.onLoad({ ask_id: '55', category: 'city' })
    expect(page.data.columns.map(c => c.name)).toEqual(['书记信箱', '区长信箱', '人民建议']) // nothing hidden
    expect(page.data).toMatchObject({ categoryIndex: 1, boundPhone: '138****5678', otherPhone: false })
    page.onColumn({ detail: { value: '1' } })
    page.onTitle({ detail: { value: ' 东门路口路灯坏了 ' } })
    page.onBody({ detail: { value: '东门步行街北口的路灯已经坏了一周，晚上很黑。' } })
    page.onConsent({ detail: { value: true } })
    page.onPlace()
    page.onAddPhoto()
    await flush()
    expect(wx.calls.chooseMedia[0]).toMatchObject({ count: 9, mediaType: ['image'] })
    expect(wx.server.unmatched).toEqual([])
    expect(shown(wx)).toEqual(['照片不能超过5MB'])
    const uploads = wx.server.calls('POST /api/v1/questions/photos')
    expect(uploads.map(u => [u.filePath, u.name, u.header.Authorization, u.header['content-type']])).toEqual([
      ['wxfile://tmp/a.jpg', 'file', 'Bearer tok-resident', undefined], ['wxfile://tmp/b.jpg', 'file', 'Bearer tok-resident', undefined]])
    page.onRemovePhoto(tap({ id: 41 }))
    await page.onSubmit()
    expect(wx.calls.requestSubscribeMessage[0].tmplIds).toEqual(['TPL_LETTER'])
    expect(wx.server.calls('POST /api/v1/questions/letters')[0].data).toEqual({
      column: 'mayor', title: '东门路口路灯坏了', body: '东门步行街北口的路灯已经坏了一周，晚上很黑。', category: 'city',
      place: { lon: 114.1235, lat: 22.5497, coord: 'gcj02' }, photos: [42], publish_consent: true, phone: null, ask_id: 55, campaign_id: null })
    expect(wx.calls.redirectTo).toEqual([{ url: '/pages/letters/detail?id=31&created=1' }])
  })

  test('in 人民建议 the resident answers one of the open campaigns, or none', async () => {
    const wx = loggedIn(createWx())
    wx.server.on('POST /api/v1/questions/letters', json(201, letter({ id: 32 })))
    const page = writer(wx)
    await page.onLoad({})
    // A letter column has no campaign picker.
    expect(wx.server.calls('GET /api/v1/questions/campaigns')).toHaveLength(1)
    expect(elements(render(page)).filter(n => n.attr && n.attr.id === 'campaign')).toEqual([])
    page.onColumn({ detail: { value: '2' } })
    // Only the open campaigns, after the choice of a suggestion to none.
    expect(page.data.campaigns.map(c => c.title)).toEqual(['不针对征集主题', '东门片区旧改意见征集'])
    const picker = elements(render(page)).find(n => n.attr && n.attr.id === 'campaign')
    expect(picker.attr.ariaLabel).toBe('征集主题，不针对征集主题')
    page.onCampaign({ detail: { value: '1' } })
    expect(byClass(render(page), 'campaign').map(text)).toEqual(['征求东门片区城市更新的意见和建议。（征集截至12月31日）'])
    page.onTitle({ detail: { value: '建议保留老街骑楼' } })
    page.onBody({ detail: { value: '东门老街的骑楼是街区记忆，建议改造时保留立面。' } })
    await page.onSubmit()
    expect(wx.server.calls('POST /api/v1/questions/letters')[0].data).toMatchObject({ column: 'proposal', campaign_id: 7 })
    // Back to a letter column: no campaign goes with it.
    page.onColumn({ detail: { value: '0' } })
    await page.onSubmit()
    expect(wx.server.calls('POST /api/v1/questions/letters')[1].data).toMatchObject({ column: 'secretary', campaign_id: null })
  })

  test('without a bound phone one must be typed; an incomplete form and a refused text are shown, nothing kept', async () => {
    const wx = loggedIn(createWx())
    wx.server.on('GET /api/v1/questions/columns', COLUMNS).on('GET /api/v1/questions/categories', CATEGORIES)
      .on('GET /api/v1/me', S.LOGIN.user).on('GET /api/v1/push/templates', []).on('GET /api/v1/questions/campaigns', [])
      .on('POST /api/v1/questions/letters', errorBody(422, 'content_rejected', '内容含有违法违规信息，请修改后再提交'))
    const page = loadPage('pages/letters/write', { wx })
    await page.onLoad({ title: encodeURIComponent('路灯') })
    expect(page.data).toMatchObject({ title: '路灯', otherPhone: true })
    page.onBody({ detail: { value: '太短' } })
    await page.onSubmit()
    page.onBody({ detail: { value: '东门步行街北口的路灯已经坏了一周。' } })
    page.onPhone({ detail: { value: '1381234' } })
    await page.onSubmit()
    expect(wx.server.calls('POST /api/v1/questions/letters')).toEqual([])
    page.onPhone({ detail: { value: '138 1234 5678' } })
    await page.onSubmit()
    expect(wx.server.calls('POST /api/v1/questions/letters')[0].data).toMatchObject({ column: 'secretary', phone: '13812345678', category: null, place: null })
    expect(shown(wx)).toEqual(['请把问题写清楚（至少5个字）', '请输入11位手机号码', '内容含有违法违规信息，请修改后再提交'])
    expect(wx.calls.redirectTo).toBeUndefined()
    expect(page.data.sending).toBe(false)
  })
})

describe('我的留言', () => {
  test('the list opens a letter; its timeline, photos and reply show, and the rating form only while it can be rated', async () => {
    const wx = loggedIn(createWx())
    const closed = Object.assign({}, REPLIED, {
      status: 'closed', status_label: '已办结', rating: 'satisfied', rating_label: '满意',
      steps: REPLIED.steps.concat({ kind: 'rated', at: '2026-12-08T10:00:00Z', note: '满意', department: null },
        { kind: 'closed', at: '2026-12-08T10:00:00Z', note: '', department: null }) })
    wx.server.on('GET /api/v1/questions/me/letters', { items: [REPLIED], next_cursor: '31' }, { items: [letter({ id: 12 })], next_cursor: null })
      .on('GET /api/v1/questions/me/letters/31', REPLIED).on('GET /api/v1/questions/photos/41', json(200, ''))
      .on('GET /api/v1/questions/photos/42', json(200, ''))
      .on('POST /api/v1/questions/me/letters/31/rating', closed)
    const mine = loadPage('pages/letters/mine', { wx })
    await mine.onShow()
    await mine.onReachBottom()
    expect(wx.server.calls('GET /api/v1/questions/me/letters').map(r => r.query)).toEqual([{ limit: '20' }, { limit: '20', cursor: '31' }])
    expect(mine.data.items.map(i => [i.id, i.statusText])).toEqual([[31, '已答复'], [12, '已受理']])
    mine.onOpen(tap({ id: 31 }))
    expect(wx.calls.navigateTo).toEqual([{ url: '/pages/letters/detail?id=31' }])

    const page = loadPage('pages/letters/detail', { wx })
    await page.onLoad({ id: '31' })
    expect(page.data.letter).toMatchObject({ rateable: true, department: '区城管局', due: '12月10日', phone: '138****5678' })
    expect(page.data.letter.steps.map(s => [s.text, s.department, s.at])).toEqual([
      ['已受理', '', '2026-12-07 10:00'], ['已分派给承办部门', '区城管局', '2026-12-07 11:00'],
      ['部门已答复', '区城管局', '2026-12-08 17:30']])
    expect(wx.server.requests.filter(r => r.kind === 'download').map(r => [r.path, r.header.Authorization])).toEqual([
      ['/api/v1/questions/photos/41', 'Bearer tok-resident'], ['/api/v1/questions/photos/42', 'Bearer tok-resident']])
    expect(page.data.photos).toHaveLength(2)
    expect(page.data.ratings.map(r => r.label)).toEqual(['满意', '基本满意', '不满意'])
    await page.onRate()
    expect(wx.server.calls('POST /api/v1/questions/me/letters/31/rating')).toEqual([]) // nothing chosen yet
    page.onRating(tap({ value: 'satisfied' }))
    await page.onRate()
    expect(wx.server.calls('POST /api/v1/questions/me/letters/31/rating')[0].data).toEqual({ rating: 'satisfied' })
    expect(page.data.letter).toMatchObject({ rateable: false, rating: '满意', statusText: '已办结' })
    expect(page.data.letter.steps.map(s => s.text).slice(-2)).toEqual(['你已评价', '已办结'])
    expect(shown(wx)).toEqual(['请选择满意程度', '感谢你的评价'])
  })

  test('a letter still being handled has no rating form', async () => {
    const wx = loggedIn(createWx())
    wx.server.on('GET /api/v1/questions/me/letters/12', letter({ id: 12, status: 'assigned', status_label: '办理中', department: CITY, overdue: true }))
    const page = loadPage('pages/letters/detail', { wx })
    await page.onLoad({ id: '12' })
    expect(page.data.letter).toMatchObject({ rateable: false, overdue: true })
  })
})

describe('published replies', () => {
  test('are listed and searched without a login, and open one by one', async () => {
    const wx = createWx()
    const item = { id: 31, column: '区长信箱', title: '东门路口路灯坏了', body: '……', category: 'city', reply: '已修复。',
      department: CITY, created_at: '2026-12-07T02:00:00Z', replied_at: '2026-12-08T09:30:00Z', rating: 'satisfied', adoption_note: null }
    wx.server.on('GET /api/v1/questions/public/letters', { items: [item], next_cursor: null })
      .on('GET /api/v1/questions/public/letters/31', item)
    const page = loadPage('pages/letters/public', { wx })
    await page.onLoad()
    page.onInput({ detail: { value: ' 路灯 ' } })
    await page.search()
    expect(wx.server.calls('GET /api/v1/questions/public/letters').map(r => r.query)).toEqual([{ limit: '20' }, { q: '路灯', limit: '20' }])
    page.onOpen(tap({ id: 31 }))
    const reply = loadPage('pages/letters/reply', { wx })
    await reply.onLoad({ id: '31' })
    expect(reply.data.letter).toMatchObject({ reply: '已修复。', repliedAt: '2026-12-08 17:30' })
    expect(wx.calls.login).toBeUndefined()
    expect(wx.server.requests.every(r => !r.header.Authorization)).toBe(true)
  })
})

describe('the ways in', () => {
  test('首页 and 我的 (投诉建议) open 问一问; 我的 opens 我的留言', () => {
    const wx = createWx()
    loadPage('pages/index/index', { wx }).toAsk()
    const me = loadPage('pages/me/me', { wx })
    me.go(tap({ url: '/pages/ask/ask' }))
    me.go(tap({ url: '/pages/letters/mine' }))
    expect(wx.calls.navigateTo.map(c => c.url)).toEqual(['/pages/ask/ask', '/pages/ask/ask', '/pages/letters/mine'])
  })
})

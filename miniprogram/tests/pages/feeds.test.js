// 市民主页, 我的订阅, 通知 and 企业主页 against a fake wx.
const { createWx, json, errorBody, shown } = require('../fake-wx')
const { loadPage, tap } = require('../page-harness')
const { render, byClass, text } = require('../page-view')
const S = require('../fixtures/server')
const OPTIONS = require('../fixtures/subscription-options')

const CRITERIA = { topics: ['education'], agencies: [], doc_types: [], disclosures: [], keywords: [], divisions: ['440303003003'], industries: [], sizes: [] }

function feedItem(id, kind, read, extra) {
  return Object.assign({ id, kind, title: `条目${id}`, summary: '', source: '罗湖区教育局', published_at: '2026-11-30T01:00:00Z', read,
    ref_id: id * 10, page: kind === 'booking' ? `pages/booking/detail?id=${id * 10}` : `pages/gazette/reader/reader?id=${id * 10}`,
    matched_by: kind === 'booking' ? [] : [{ subscription_id: 1, criteria: CRITERIA, enterprise_id: null }] }, extra)
}

function loggedIn(options) {
  const wx = createWx(options)
  wx.setStorageSync('bianmin.session', S.LOGIN)
  return wx
}

describe('市民主页', () => {
  test('items show their read state; opening one marks it read and opens the page the server names', async () => {
    const wx = loggedIn()
    wx.server.on('GET /api/v1/feed', { items: [feedItem(1, 'document', false), feedItem(2, 'booking', true)], next_cursor: 'n2' })
      .on('GET /api/v1/feed/unread-count', { unread: 1 }).on('POST /api/v1/feed/read', { marked: 1, unread: 0 })
    const page = loadPage('pages/feed/index', { wx })
    await page.onShow()
    expect(wx.server.calls('GET /api/v1/feed')[0].query).toEqual({ limit: '20' })
    expect(page.data.items.map(i => [i.kindText, i.read, i.when, i.why])).toEqual([['公报', false, '2026-11-30 09:00', '符合你的订阅'], ['预约', true, '2026-11-30 09:00', '']])
    await page.onOpen(tap({ index: 0 }))
    expect(wx.server.calls('POST /api/v1/feed/read')[0].data).toEqual({ ids: [1] })
    expect(page.data.items[0].read).toBe(true)
    expect(page.data.unread).toBe(0)
    await page.onOpen(tap({ index: 1 }))
    expect(wx.server.calls('POST /api/v1/feed/read')).toHaveLength(1)
    expect(wx.calls.navigateTo.map(c => c.url)).toEqual(['/pages/gazette/reader/reader?id=10', '/pages/booking/detail?id=20'])
  })

  test('消息提醒 asks WeChat\'s consent for new documents from the tap and records the answer', async () => {
    const wx = loggedIn({ subscribe: () => ({ TPL_DOC: 'accept' }) })
    wx.server.on('GET /api/v1/feed', { items: [], next_cursor: null }).on('GET /api/v1/feed/unread-count', { unread: 0 })
      .on('GET /api/v1/push/templates', S.TEMPLATES).on('POST /api/v1/push/grants', [])
    const page = loadPage('pages/feed/index', { wx })
    await page.onShow()
    expect(page.data.notifyKind).toBe('one_time')
    expect(byClass(render(page), 'notify').map(text)).toEqual([expect.stringContaining('每同意一次，下一条新内容会用微信消息告诉你')])
    const tapped = page.onNotifyMe()
    // Asked within the tap, before any request: WeChat shows the dialog only then.
    expect(wx.calls.requestSubscribeMessage.map(c => c.tmplIds)).toEqual([['TPL_DOC']])
    await tapped
    expect(wx.server.calls('POST /api/v1/push/grants').map(r => r.data)).toEqual([{ results: { TPL_DOC: 'accept' } }])
    expect(shown(wx)).toEqual(['下一条新内容会发消息提醒你'])
  })

  test('消息提醒 with a long-term template says so; a refusal is recorded; no template, no 消息提醒', async () => {
    const longTerm = S.TEMPLATES.map(t => (t.purpose === 'document_published' ? Object.assign({}, t, { kind: 'long_term' }) : t))
    const wx = loggedIn({ subscribe: () => ({ TPL_DOC: 'reject' }) })
    wx.server.on('GET /api/v1/feed', { items: [], next_cursor: null }).on('GET /api/v1/feed/unread-count', { unread: 0 })
      .on('GET /api/v1/push/templates', longTerm).on('POST /api/v1/push/grants', [])
    const page = loadPage('pages/feed/index', { wx })
    await page.onShow()
    expect(byClass(render(page), 'notify').map(text)).toEqual([expect.stringContaining('有新内容时，用微信消息告诉你')])
    await page.onNotifyMe()
    expect(wx.server.calls('POST /api/v1/push/grants').map(r => r.data)).toEqual([{ results: { TPL_DOC: 'reject' } }])
    expect(shown(wx)).toEqual(['未开启提醒，新内容仍会显示在这里'])

    const without = loggedIn()
    without.server.on('GET /api/v1/feed', { items: [], next_cursor: null }).on('GET /api/v1/feed/unread-count', { unread: 0 })
      .on('GET /api/v1/push/templates', S.TEMPLATES.filter(t => t.purpose !== 'document_published'))
    const plain = loadPage('pages/feed/index', { wx: without })
    await plain.onShow()
    expect(byClass(render(plain), 'notify')).toEqual([])
  })

  test('全部已读 marks everything; the next page follows the cursor', async () => {
    const wx = loggedIn()
    wx.server.on('GET /api/v1/feed', { items: [feedItem(1, 'document', false)], next_cursor: 'n2' }, { items: [feedItem(3, 'notice', false)], next_cursor: null })
      .on('GET /api/v1/feed/unread-count', { unread: 2 }).on('POST /api/v1/feed/read-all', { marked: 2, unread: 0 })
    const page = loadPage('pages/feed/index', { wx })
    await page.onShow()
    await page.onReachBottom()
    expect(wx.server.calls('GET /api/v1/feed')[1].query).toEqual({ cursor: 'n2', limit: '20' })
    expect(page.data.items.map(i => i.id)).toEqual([1, 3])
    await page.onReadAll()
    expect(page.data.items.every(i => i.read)).toBe(true)
    expect(page.data.unread).toBe(0)
  })
})

describe('我的订阅', () => {
  function subscriptions() {
    const wx = loggedIn({ location: { latitude: 22.5478, longitude: 114.1322 } })
    wx.server.on('GET /api/v1/subscriptions/options', OPTIONS).on('GET /api/v1/map/locate', S.LOCATE)
      .on('GET /api/v1/subscriptions', [{ id: 1, criteria: CRITERIA, frequency: 'daily', description: '主题：教育；区域：立新社区', division_names: { '440303003003': '立新社区' }, enterprise_id: null,
        created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z' }])
      .on('POST /api/v1/subscriptions', json(201, { id: 2 })).on('PATCH /api/v1/subscriptions/1', { id: 1 })
      .on('DELETE /api/v1/subscriptions/1', json(204, ''))
      .on('GET /api/v1/push/templates', S.TEMPLATES).on('POST /api/v1/push/grants', [])
    return { wx, page: loadPage('pages/feed/subscriptions', { wx }) }
  }

  test('the list reads in Chinese and the editor offers the resident\'s own divisions', async () => {
    const { wx, page } = subscriptions()
    await page.onLoad()
    expect(wx.calls.getLocation[0].type).toBe('gcj02')
    expect(page.data.items).toEqual([expect.objectContaining({ id: 1, description: '主题：教育；区域：立新社区', frequency: '每日摘要（8:30）' })])
    page.onNew()
    expect(page.data.editing).toBe(true)
    expect(page.data.sections.find(s => s.key === 'divisions').choices.map(c => c.label)).toEqual(['立新社区', '东门街道', '罗湖区'])
  })

  test('without the resident\'s location 区域 still offers the picker over the options\' divisions', async () => {
    const { wx, page } = subscriptions()
    wx.settings.locationError = 'getLocation:fail auth deny'
    await page.onLoad()
    expect(wx.server.calls('GET /api/v1/map/locate')).toHaveLength(0)
    expect(page.data.places).toEqual(OPTIONS.divisions)
    page.onEdit(tap({ id: 1 }))
    // 区域 stays with what was chosen before, or empty, for the picker.
    expect(page.data.sections.find(s => s.key === 'divisions').choices).toEqual([{ value: '440303003003', label: '立新社区' }])
    page.onNew()
    expect(page.data.sections.find(s => s.key === 'divisions').choices).toEqual([])
  })

  test('a new subscription is posted; an edited one is patched; a deleted one is gone', async () => {
    const { wx, page } = subscriptions()
    await page.onLoad()
    page.onNew()
    const detail = { criteria: { topics: ['civil_affairs_relief'], agencies: [], doc_types: [], disclosures: [], divisions: [], keywords: ['医保'] }, frequency: 'immediate' }
    await page.onSave({ detail })
    expect(wx.server.calls('POST /api/v1/subscriptions')[0].data).toEqual(detail)
    expect(page.data.editing).toBe(false)
    page.onEdit(tap({ id: 1 }))
    expect(page.data.value).toEqual({ criteria: CRITERIA, frequency: 'daily' })
    await page.onSave({ detail: { criteria: CRITERIA, frequency: 'weekly' } })
    expect(wx.server.calls('PATCH /api/v1/subscriptions/1')[0].data).toEqual({ criteria: CRITERIA, frequency: 'weekly' })
    await page.onDelete(tap({ id: 1 }))
    expect(wx.server.calls('DELETE /api/v1/subscriptions/1')).toHaveLength(1)
  })

  test('saving asks consent for the messages from the save tap, records it, then saves', async () => {
    const { wx, page } = subscriptions()
    await page.onLoad()
    page.onNew()
    const detail = { criteria: { topics: ['education'], divisions: ['440303003001'] }, frequency: 'daily' }
    const saving = page.onSave({ detail })
    // Asked within the tap, before any request: WeChat shows the dialog only then.
    expect(wx.calls.requestSubscribeMessage.map(c => c.tmplIds)).toEqual([['TPL_DOC']])
    await saving
    expect(wx.timeline.filter(t => /requestSubscribeMessage|POST/.test(t))).toEqual([
      'wx.requestSubscribeMessage', 'POST /api/v1/push/grants', 'POST /api/v1/subscriptions'])
    expect(wx.server.calls('POST /api/v1/push/grants')[0].data).toEqual({ results: { TPL_DOC: 'accept' } })
  })

  test('a subscription shown only in 市民主页 asks no consent; a refused dialog still saves', async () => {
    const { wx, page } = subscriptions()
    await page.onLoad()
    page.onNew()
    await page.onSave({ detail: { criteria: { topics: ['education'] }, frequency: 'feed' } })
    expect(wx.calls.requestSubscribeMessage).toBeUndefined()
    wx.settings.subscribe = () => ({ TPL_DOC: 'reject' })
    page.onNew()
    await page.onSave({ detail: { criteria: { topics: ['health'] }, frequency: 'immediate' } })
    expect(wx.server.calls('POST /api/v1/push/grants').map(r => r.data)).toEqual([{ results: { TPL_DOC: 'reject' } }])
    expect(wx.server.calls('POST /api/v1/subscriptions').map(r => r.data.criteria.topics)).toEqual([['education'], ['health']])
  })

  test('bad criteria keep the editor open with the server\'s reason', async () => {
    const { wx, page } = subscriptions()
    wx.server.on('POST /api/v1/subscriptions', errorBody(422, 'bad_criteria', '订阅条件有误', { fields: [{ field: 'criteria.keywords', message: '关键词不能超过20个字' }] }))
    await page.onLoad()
    page.onNew()
    await page.onSave({ detail: { criteria: { keywords: ['很长'.repeat(11)] }, frequency: 'immediate' } })
    expect(page.data.editing).toBe(true)
    expect(shown(wx)).toEqual(['订阅条件有误：关键词不能超过20个字'])
  })
})

test('a notice shows its text and when it was published', async () => {
  const wx = createWx()
  wx.server.on('GET /api/v1/notices/7', { id: 7, title: '东门街道便民服务中心12月5日停办', body: '因系统升级停办一天。', hall_id: 2, source: '东门街道便民服务中心',
    topic: null, agency: null, divisions: [], industries: [], sizes: [], status: 'published', published_at: '2026-11-30T01:00:00Z', withdrawn_at: null, withdrawn_reason: null })
  const page = loadPage('pages/notices/detail', { wx })
  await page.onLoad({ id: '7' })
  expect(page.data.notice.body).toBe('因系统升级停办一天。')
  expect(page.data.when).toBe('2026-11-30 09:00')
})

describe('企业主页', () => {
  const ENTERPRISE = { id: 3, name: '深圳市罗湖区示例商贸有限公司', credit_code: '91350100M000100Y43', industry: { value: 'F', label: '批发和零售业' },
    size: { value: 'small', label: '小型' }, district: '440303', contact: { name: '王*', phone: '139****0000' }, status: 'verified',
    reject_reason: null, created_at: '2026-11-01T00:00:00Z', reviewed_at: '2026-11-02T00:00:00Z', membership: { role: 'owner', notify: true } }
  const HOME = { enterprise: ENTERPRISE, district_name: '罗湖区', subscriptions: [],
    policies: [{ id: 11, kind: 'document', ref_id: 1, title: '罗湖区优化营商环境若干措施', summary: '', source: '罗湖区人民政府',
      published_at: '2026-11-20T00:00:00Z', page: 'pages/gazette/reader/reader?id=1', targeted: true }],
    notices: [] }

  test('without an enterprise: register with checked fields, or join with a code', async () => {
    const wx = loggedIn()
    wx.server.on('GET /api/v1/enterprises', [], [ENTERPRISE]).on('GET /api/v1/subscriptions/options', OPTIONS)
      .on('GET /api/v1/map/locate', S.LOCATE).on('POST /api/v1/enterprises', json(201, ENTERPRISE))
      .on('GET /api/v1/enterprises/3/home', HOME).on('GET /api/v1/enterprises/3/members', [])
    const page = loadPage('pages/enterprise/enterprise', { wx })
    await page.onShow()
    expect(page.data.industries.map(i => i.label)).toEqual(['批发和零售业', '信息传输、软件和信息技术服务业'])
    page.onField({ currentTarget: { dataset: { field: 'name' } }, detail: { value: '深圳市罗湖区示例商贸有限公司' } })
    page.onField({ currentTarget: { dataset: { field: 'credit_code' } }, detail: { value: '91350100M000100Y44' } })
    await page.onRegister()
    expect(page.data.errors).toMatchObject({ credit_code: '统一社会信用代码校验位不正确，请检查是否输错', industry: '请选择行业' })
    expect(wx.server.calls('POST /api/v1/enterprises')).toHaveLength(0)

    page.onField({ currentTarget: { dataset: { field: 'credit_code' } }, detail: { value: '91350100m000100y43' } })
    page.onPick({ currentTarget: { dataset: { field: 'industry', list: 'industries' } }, detail: { value: '0' } })
    page.onPick({ currentTarget: { dataset: { field: 'size', list: 'sizes' } }, detail: { value: '0' } })
    page.onPick({ currentTarget: { dataset: { field: 'district', list: 'divisions' } }, detail: { value: '2' } })
    page.onField({ currentTarget: { dataset: { field: 'contact_name' } }, detail: { value: '王五' } })
    page.onField({ currentTarget: { dataset: { field: 'contact_phone' } }, detail: { value: '139 1234 0000' } })
    await page.onRegister()
    expect(wx.server.calls('POST /api/v1/enterprises')[0].data).toEqual({ name: '深圳市罗湖区示例商贸有限公司', credit_code: '91350100M000100Y43',
      industry: 'F', size: 'small', district: '440303', contact: { name: '王五', phone: '13912340000' } })
    expect(page.data.home.policies[0].title).toBe('罗湖区优化营商环境若干措施')
  })

  test('joining with an invitation code opts in to the enterprise\'s messages', async () => {
    const wx = loggedIn()
    wx.server.on('GET /api/v1/enterprises', []).on('GET /api/v1/subscriptions/options', OPTIONS)
      .on('POST /api/v1/enterprises/join', Object.assign({}, ENTERPRISE, { membership: { role: 'member', notify: true } }))
      .on('GET /api/v1/push/templates', S.TEMPLATES).on('POST /api/v1/push/grants', [])
    const page = loadPage('pages/enterprise/enterprise', { wx })
    await page.onShow()
    page.onJoinCode({ detail: { value: ' k7p2qx ' } })
    await page.onJoin()
    expect(wx.server.calls('POST /api/v1/enterprises/join')[0].data).toEqual({ code: 'K7P2QX', notify: true })
    // The enterprise's policy messages need WeChat's consent, asked from the 加入 tap.
    expect(wx.timeline.filter(t => /requestSubscribeMessage|POST/.test(t))).toEqual([
      'wx.requestSubscribeMessage', 'POST /api/v1/push/grants', 'POST /api/v1/enterprises/join'])
  })

  test('the owner sees matched policies, invites a colleague and adds an enterprise subscription', async () => {
    const wx = loggedIn()
    wx.server.on('GET /api/v1/enterprises', [ENTERPRISE]).on('GET /api/v1/enterprises/3/home', HOME)
      .on('GET /api/v1/enterprises/3/members', [{ user_id: 21, role: 'owner', notify: true, joined_at: '2026-11-01T00:00:00Z' },
        { user_id: 30, role: 'member', notify: false, joined_at: '2026-11-03T00:00:00Z' }])
      .on('POST /api/v1/enterprises/3/invitations', json(201, { code: 'K7P2QX', expires_at: '2026-12-07T00:00:00Z', enterprise_id: 3 }))
      .on('GET /api/v1/subscriptions/options', OPTIONS).on('POST /api/v1/enterprises/3/subscriptions', json(201, { id: 8 }))
      .on('DELETE /api/v1/enterprises/3/members/30', json(204, ''))
      .on('GET /api/v1/push/templates', S.TEMPLATES).on('POST /api/v1/push/grants', [])
    const page = loadPage('pages/enterprise/enterprise', { wx })
    await page.onShow()
    expect(page.data).toMatchObject({ owner: true, statusText: '已认证' })
    expect(page.data.members.map(m => m.user_id)).toEqual([21, 30])
    page.onOpenCard(tap({ page: 'pages/gazette/reader/reader?id=1' }))
    expect(wx.calls.navigateTo).toEqual([{ url: '/pages/gazette/reader/reader?id=1' }])
    await page.onInvite()
    expect(wx.calls.setClipboardData).toEqual([{ data: 'K7P2QX' }])
    await page.onNewSubscription()
    expect(page.data.sections.map(s => s.key)).toEqual(['topics', 'agencies', 'doc_types', 'disclosures', 'divisions', 'industries', 'sizes'])
    expect(page.data.places).toEqual(OPTIONS.divisions) // the editor's picker, for the enterprise's street or community
    const detail = { criteria: { industries: ['F'], sizes: ['small'], divisions: ['440303'] }, frequency: 'daily' }
    const saving = page.onSaveSubscription({ detail })
    expect(wx.calls.requestSubscribeMessage.map(c => c.tmplIds)).toEqual([['TPL_DOC']]) // within the save tap
    await saving
    expect(wx.server.calls('POST /api/v1/enterprises/3/subscriptions')[0].data).toEqual(detail)
    expect(wx.timeline.filter(t => /push\/grants|subscriptions$/.test(t))).toEqual(['POST /api/v1/push/grants', 'POST /api/v1/enterprises/3/subscriptions'])
    await page.onRemoveMember(tap({ id: 30 }))
    expect(wx.server.calls('DELETE /api/v1/enterprises/3/members/30')).toHaveLength(1)
  })

  test('the owner edits an enterprise subscription, its places shown by name', async () => {
    const wx = loggedIn()
    const subscription = { id: 8, criteria: { topics: [], agencies: [], doc_types: [], disclosures: [], keywords: [], industries: ['F'],
      sizes: [], divisions: ['440303', '440303003'] }, frequency: 'daily', description: '区域：罗湖区、东门街道；行业：批发和零售业',
    division_names: { '440303': '罗湖区', '440303003': '东门街道' }, enterprise_id: 3, created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z' }
    wx.server.on('GET /api/v1/enterprises', [ENTERPRISE]).on('GET /api/v1/enterprises/3/home', Object.assign({}, HOME, { subscriptions: [subscription] }))
      .on('GET /api/v1/enterprises/3/members', []).on('GET /api/v1/subscriptions/options', OPTIONS)
      .on('PATCH /api/v1/enterprises/3/subscriptions/8', subscription)
    const page = loadPage('pages/enterprise/enterprise', { wx })
    await page.onShow()
    await page.onEditSubscription(tap({ id: 8 }))
    expect(page.data).toMatchObject({ editing: true, editId: 8, value: { criteria: subscription.criteria, frequency: 'daily' } })
    expect(page.data.sections.find(s => s.key === 'divisions').choices.map(c => c.label)).toEqual(['企业注册地（罗湖区）', '东门街道'])
    const detail = { criteria: { industries: ['F'], divisions: ['440303'] }, frequency: 'weekly' }
    await page.onSaveSubscription({ detail })
    expect(wx.server.calls('PATCH /api/v1/enterprises/3/subscriptions/8')[0].data).toEqual(detail)
    expect(wx.server.calls('POST /api/v1/enterprises/3/subscriptions')).toHaveLength(0)
    expect(page.data.editing).toBe(false)
  })

  test('a member turns the enterprise\'s messages off, and can leave', async () => {
    const wx = loggedIn()
    const member = Object.assign({}, ENTERPRISE, { credit_code: '9135**********Y43', membership: { role: 'member', notify: true } })
    wx.server.on('GET /api/v1/enterprises', [member], []).on('GET /api/v1/enterprises/3/home', Object.assign({}, HOME, { enterprise: member }))
      .on('PATCH /api/v1/enterprises/3/membership', Object.assign({}, member, { membership: { role: 'member', notify: false } }))
      .on('DELETE /api/v1/enterprises/3/membership', json(204, '')).on('GET /api/v1/subscriptions/options', OPTIONS)
    const page = loadPage('pages/enterprise/enterprise', { wx })
    await page.onShow()
    expect(page.data.owner).toBe(false)
    expect(wx.server.calls('GET /api/v1/enterprises/3/members')).toHaveLength(0)
    await page.onNotify({ detail: { value: false } })
    expect(wx.server.calls('PATCH /api/v1/enterprises/3/membership')[0].data).toEqual({ notify: false })
    expect(page.data.home.enterprise.membership.notify).toBe(false)
    await page.onLeave()
    expect(wx.server.calls('DELETE /api/v1/enterprises/3/membership')).toHaveLength(1)
    expect(page.data.home).toBeNull()
  })
})

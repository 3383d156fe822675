// The gazette: issues by year, the table of contents, the reader, and search with facets.
const { createWx, json, flush } = require('../fake-wx')
const { loadPage, tap } = require('../page-harness')
const S = require('../fixtures/server')

const ISSUES = [
  { id: 3, year: 2024, number: 3, total_number: 183, title: '罗湖区人民政府公报 2024年第3期', published_on: '2024-09-13', sections: [], document_count: 13 },
  { id: 2, year: 2024, number: 2, total_number: 182, title: '罗湖区人民政府公报 2024年第2期', published_on: '2024-06-14', sections: [], document_count: 14 },
  { id: 1, year: 2023, number: 12, total_number: 180, title: '罗湖区人民政府公报 2023年第12期', published_on: '2023-12-15', sections: [], document_count: 9 },
]

describe('issues', () => {
  test('issues are grouped by year, newest year first; another year is asked for by year', async () => {
    const wx = createWx()
    wx.server.on('GET /api/v1/gazette/issues', req => json(200, req.query.year ? ISSUES.filter(i => String(i.year) === req.query.year) : ISSUES))
    const page = loadPage('pages/gazette/gazette', { wx })
    await page.onLoad()
    expect(page.data.years).toEqual([2024, 2023])
    expect(page.data.issues.map(i => i.id)).toEqual([3, 2])
    await page.onYear(tap({ year: 2023 }))
    expect(wx.server.requests[1].query).toEqual({ year: '2023' })
    expect(page.data.issues.map(i => i.number)).toEqual([12])
  })

  test('an issue shows its table of contents by section', async () => {
    const wx = createWx()
    const contents = [{ section: '区政府文件', documents: [{ id: 1, title: '关于印发《罗湖区优化营商环境若干措施》的通知' }] }]
    wx.server.on('GET /api/v1/gazette/issues/3', Object.assign({}, ISSUES[0], { contents }))
    const page = loadPage('pages/gazette/issue', { wx })
    await page.onLoad({ id: '3' })
    expect(page.data.issue.contents).toEqual(contents)
    expect(wx.calls.setNavigationBarTitle).toEqual([{ title: '2024年第3期' }])
    page.onDocument(tap({ id: 1 }))
    expect(wx.calls.navigateTo).toEqual([{ url: '/pages/gazette/reader/reader?id=1' }])
  })
})

describe('the reader', () => {
  function reader(options = {}) {
    const wx = createWx()
    wx.server.on('GET /api/v1/gazette/documents/1', S.DOCUMENT)
      .on('POST /api/v1/gazette/documents/1/favorite', { document_id: 1, favorited: true })
      .on('DELETE /api/v1/gazette/documents/1/favorite', json(204, ''))
      .on('PUT /api/v1/gazette/documents/1/position', { document_id: 1, position: 0.75, last_read_at: '2026-11-30T04:00:00Z' })
      .on('POST /api/v1/auth/wechat', S.LOGIN)
    if (options.loggedIn) wx.setStorageSync('bianmin.session', S.LOGIN)
    if (options.level !== undefined) wx.setStorageSync('bianmin.fontLevel', options.level)
    return { wx, page: loadPage('pages/gazette/reader/reader', { wx }) }
  }

  test('a mini-program code opens the document named by its scene', async () => {
    const { wx, page } = reader()
    await page.onLoad({ scene: encodeURIComponent('d=1') })
    expect(wx.server.requests[0].path).toBe('/api/v1/gazette/documents/1')
    expect(page.data.doc.body_nodes).toEqual(S.DOCUMENT.body_nodes)
  })

  test('the reader keeps its font size across documents', async () => {
    const { wx, page } = reader({ level: 3 })
    await page.onLoad({ id: '1' })
    expect(page.data.level).toBe(3)
    page.onFontSize({ detail: { level: 4 } })
    expect(wx.getStorageSync('bianmin.fontLevel')).toBe(4)
    expect(page.data.level).toBe(4)
  })

  test('the page scrolls back to where the reader stopped, and saves the new place when leaving', async () => {
    const { wx, page } = reader({ loggedIn: true })
    await page.onLoad({ id: '1' })
    await flush()
    // Document 2100 px high in a 700 px window: position 0.5 is 700 px down.
    expect(wx.calls.pageScrollTo).toEqual([{ scrollTop: 700, duration: 0 }])
    page.onPageScroll({ scrollTop: 1050 })
    await page.onUnload()
    expect(wx.server.calls('PUT /api/v1/gazette/documents/1/position')[0].data).toEqual({ position: 0.75 })
  })

  test('an anonymous reader is not made to log in to save a reading position', async () => {
    const { wx, page } = reader()
    await page.onLoad({ id: '1' })
    await flush()
    page.onPageScroll({ scrollTop: 300 })
    await page.onHide()
    expect(wx.loginCount).toBe(0)
    expect(wx.server.calls('PUT /api/v1/gazette/documents/1/position')).toHaveLength(0)
  })

  test('favourite toggles on the server; the first one logs in', async () => {
    const { wx, page } = reader()
    await page.onLoad({ id: '1' })
    await page.onFavorite()
    expect(wx.timeline.slice(-4)).toEqual(['wx.login', 'POST /api/v1/auth/wechat', 'POST /api/v1/gazette/documents/1/favorite', 'wx.showToast'])
    expect(page.data.favorited).toBe(true)
    await page.onFavorite()
    expect(wx.server.calls('DELETE /api/v1/gazette/documents/1/favorite')).toHaveLength(1)
    expect(page.data.favorited).toBe(false)
  })

  test('interpretations open in the reader, related services open booking, attachments open as documents', async () => {
    const { wx, page } = reader()
    wx.server.on('GET /api/v1/gazette/attachments/3', json(200, ''))
    await page.onLoad({ id: '1' })
    page.onOpenDocument(tap({ id: 37 }))
    page.onBookService(tap({ hall: 1, service: 4 }))
    await page.onAttachment(tap({ id: 3 }))
    expect(wx.calls.navigateTo).toEqual([
      { url: '/pages/gazette/reader/reader?id=37' },
      { url: '/pages/booking/booking?hall_id=1&service_id=4' },
    ])
    expect(wx.calls.openDocument[0]).toMatchObject({ showMenu: true })
  })

  test('a withdrawn document says so, without a body', async () => {
    const wx = createWx()
    wx.server.on('GET /api/v1/gazette/documents/9', { id: 9, kind: 'document', status: 'withdrawn', title: '关于某事项的通知',
      withdrawn_at: '2026-03-01T02:00:00Z', withdrawn_reason: '内容有误', url: '/d/9' })
    const page = loadPage('pages/gazette/reader/reader', { wx })
    await page.onLoad({ id: '9' })
    expect(page.data.doc).toBeNull()
    expect(page.data.withdrawn).toMatchObject({ title: '关于某事项的通知', withdrawn_reason: '内容有误' })
  })
})

describe('search', () => {
  function search() {
    const wx = createWx()
    wx.server.on('GET /api/v1/gazette/documents', S.SEARCH_PAGE).on('GET /api/v1/gazette/suggest', { terms: ['养老服务'], titles: [{ id: 38, title: '罗湖区养老服务政策问答' }] })
    return { wx, page: loadPage('pages/gazette/search', { wx }) }
  }

  test('results carry highlighted titles and snippets; facets show counts', async () => {
    const { wx, page } = search()
    await page.onLoad({ q: encodeURIComponent('养老') })
    expect(wx.server.requests[0].query).toEqual({ q: '养老', sort: 'relevance', limit: '20' })
    expect(page.data.items[0].title_html).toContain('<em>养老</em>')
    expect(page.data.items[0].snippet).toContain('<em>养老</em>')
    expect(page.data.groups.map(g => g.name)).toEqual(['发布机构', '主题分类', '文种', '年份'])
    expect(page.data.groups[3].values.map(v => `${v.label}（${v.count}）`)).toEqual(['2024年（2）', '2023年（1）'])
  })

  test('facet filters add up as repeated keys, switch off, and paging follows the cursor', async () => {
    const { wx, page } = search()
    await page.onLoad({ q: encodeURIComponent('养老') })
    await page.onFacet(tap({ facet: 'year', value: '2024' }))
    await page.onFacet(tap({ facet: 'year', value: '2023' }))
    await page.onFacet(tap({ facet: 'agency', value: 'lhqzfb' }))
    expect(wx.server.requests[3].query).toEqual({ q: '养老', agency: 'lhqzfb', year: ['2024', '2023'], sort: 'relevance', limit: '20' })
    expect(page.data.groups.find(g => g.key === 'year').values.map(v => v.on)).toEqual([true, true])
    await page.onFacet(tap({ facet: 'year', value: '2024' }))
    expect(wx.server.requests[4].query.year).toBe('2023')
    await page.onReachBottom()
    expect(wx.server.requests[5].query.cursor).toBe('c2')
    expect(page.data.items).toHaveLength(2)
  })

  test('without words the newest documents come first', async () => {
    const { wx, page } = search()
    await page.onLoad({})
    expect(wx.server.requests[0].query).toEqual({ sort: 'newest', limit: '20' })
  })

  test('suggestions follow typing after a pause, for what is still in the box', async () => {
    jest.useFakeTimers()
    const { wx, page } = search()
    page.onInput({ detail: { value: '养' } })
    page.onInput({ detail: { value: '养老' } })
    jest.advanceTimersByTime(300)
    jest.useRealTimers()
    await flush()
    expect(wx.server.calls('GET /api/v1/gazette/suggest').map(r => r.query.q)).toEqual(['养老'])
    expect(page.data.suggestions.terms).toEqual(['养老服务'])
    await page.onTerm(tap({ term: '养老服务' }))
    expect(page.data.suggestions).toBeNull()
    expect(wx.server.calls('GET /api/v1/gazette/documents')[0].query.q).toBe('养老服务')
  })
})
